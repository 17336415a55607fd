/** The participant's name, perspective and colour, remembered in localStorage. */
import { useSyncExternalStore } from 'react'
import { PERSPECTIVES, type Perspective } from '@copboard/templates'

export { PERSPECTIVES, type Perspective }

/** tldraw colour of a perspective's notes, and the matching hex for UI chips. */
export const PERSPECTIVE_COLOR: Record<Perspective, { tl: 'blue' | 'green' | 'violet'; hex: string }> = {
  gemeente: { tl: 'blue', hex: '#4465e9' },
  initiatief: { tl: 'green', hex: '#099268' },
  overig: { tl: 'violet', hex: '#ae3ec9' },
}

/** Cursor colours (one per participant, remembered). */
export const CURSOR_COLORS = ['#e03131', '#f76707', '#f59f00', '#2f9e44', '#1098ad', '#1c7ed6', '#7048e8', '#d6336c', '#5c940d', '#0b7285']

export interface Profile {
  name: string
  perspective: Perspective
  color: string
}

const KEY = 'copboard.profile'
const listeners = new Set<() => void>()
let cached: Profile | null | undefined

export function loadProfile(): Profile | null {
  if (cached !== undefined) return cached
  try {
    const p = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Profile | null
    cached = p && typeof p.name === 'string' && PERSPECTIVES.includes(p.perspective) ? { ...p, color: p.color || randomColor() } : null
  } catch {
    cached = null
  }
  return cached
}

export function saveProfile(p: Profile): void {
  cached = p
  try {
    localStorage.setItem(KEY, JSON.stringify(p))
  } catch {
    /* private mode: lasts for this page */
  }
  for (const l of listeners) l()
}

export function useProfile(): Profile | null {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    loadProfile,
    loadProfile,
  )
}

export function randomColor(): string {
  return CURSOR_COLORS[Math.floor(Math.random() * CURSOR_COLORS.length)]
}
