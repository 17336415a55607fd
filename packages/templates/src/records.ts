import type { TLRecord, TLRichText } from '@tldraw/tlschema'
import type { TemplateDefinition, TemplateToRecordsOptions } from './types'
export function templateToRecords(_t: TemplateDefinition, _o: TemplateToRecordsOptions): TLRecord[] {
  throw new Error('not yet')
}
export function plainToRichText(_s: string): TLRichText {
  throw new Error('not yet')
}
export function richTextToPlain(_r: unknown): string {
  throw new Error('not yet')
}
export function statementHash(_s: string): string {
  throw new Error('not yet')
}
