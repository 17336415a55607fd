import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { Rect } from './types'
export interface BoardZone { pageId: string; templateId: string; version: number; zoneId: string; bounds: Rect; depth: number }
export interface NoteAssignment { note: TLShape; pageId: string; zone: BoardZone | null }
export function pageTransform(_r: Map<string, TLRecord>, _s: TLShape): { x: number; y: number; rotation: number } { throw new Error('not yet') }
export function noteCenter(_r: Map<string, TLRecord>, _s: TLShape): { x: number; y: number } { throw new Error('not yet') }
export function zoneOfPoint(_zones: BoardZone[], _p: { x: number; y: number }, _pageId?: string): BoardZone | null { throw new Error('not yet') }
export function assignNotesToZones(_records: TLRecord[]): NoteAssignment[] { throw new Error('not yet') }
