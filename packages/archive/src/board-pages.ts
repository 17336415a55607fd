/**
 * The pages of a board that hold content (rule A2): which pages the board export draws, and the
 * page participants wrote most on (the thumbnail, the viewer's first page, carry-over).
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { isShape, pageOf, toMap } from '@copboard/templates'

/** A page that holds shapes, with what the default-page choice and the board export need. */
export interface PageContent {
  pageId: string
  name: string
  shapes: number
  /** notes written on the board (not template scaffold, not pre-filled examples) */
  notes: number
}

function pagesInOrder(records: TLRecord[]) {
  return records
    .filter((r) => r.typeName === 'page')
    .sort((a, b) => (String((a as { index?: string }).index) < String((b as { index?: string }).index) ? -1 : 1)) as unknown as { id: string; name?: string }[]
}

function isWrittenNote(s: TLShape): boolean {
  const m = (s.meta ?? {}) as { prefilled?: unknown; copboard?: { scaffold?: unknown } }
  return s.type === 'note' && m.prefilled !== true && m.copboard?.scaffold !== true
}

/** Rule A2: the pages that hold shapes, in page order, with their shape and written-note counts. */
export function contentPages(records: TLRecord[]): PageContent[] {
  const map = toMap(records)
  const stats = new Map<string, { shapes: number; notes: number }>()
  for (const r of records) {
    if (!isShape(r)) continue
    const page = pageOf(map, r)
    const st = stats.get(page) ?? { shapes: 0, notes: 0 }
    st.shapes++
    if (isWrittenNote(r)) st.notes++
    stats.set(page, st)
  }
  return pagesInOrder(records)
    .filter((p) => stats.has(p.id))
    .map((p) => ({ pageId: p.id, name: typeof p.name === 'string' ? p.name : '', ...stats.get(p.id)! }))
}

/** Rule A2: the page participants wrote most on (notes), then the one with most shapes, then the first. */
export function mainPageId(records: TLRecord[]): string | undefined {
  const pages = contentPages(records)
  let best = pages[0]
  for (const p of pages) if (p.notes > best.notes || (p.notes === best.notes && p.shapes > best.shapes)) best = p
  return best?.pageId ?? (pagesInOrder(records)[0]?.id as string | undefined)
}

