/**
 * A shape's collaborative text (README rules 7–10): a `Y.XmlFragment` stored INSIDE the record's
 * Y.Map under `richTextDoc` (TEXT_KEY), in the node layout of y-prosemirror / @tiptap/y-tiptap
 * (element per ProseMirror node, non-null attrs as attributes, one Y.XmlText per run of text
 * with marks as formatting attributes). The record's `props.richText` is the rendered mirror.
 *
 * Pure (yjs only): the server reads the text for reports/exports with `fragmentToRichText`,
 * templates create fragments with `richTextToFragment`.
 */
import * as Y from 'yjs'
import { TEXT_KEY } from './layout.js'

/** ProseMirror JSON as tldraw stores it in `props.richText`. */
export interface RichTextNode {
  type: string
  attrs?: Record<string, unknown>
  content?: RichTextNode[]
  text?: string
  marks?: { type: string; attrs?: Record<string, unknown> }[]
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** True for a value shaped like ProseMirror JSON (a doc with a content array). */
export function isRichText(v: unknown): v is RichTextNode {
  return isObj(v) && typeof v.type === 'string' && (v.content === undefined || Array.isArray(v.content))
}

/** The fragment of a stored record, if it has one. */
export function getTextFragment(record: unknown): Y.XmlFragment | null {
  if (!(record instanceof Y.Map)) return null
  const f = record.get(TEXT_KEY)
  return f instanceof Y.XmlFragment ? f : null
}

// y-prosemirror names overlapping marks `<name>--<hash>`
const markName = (attr: string) => attr.replace(/--[a-zA-Z0-9+/=]{8}$/, '')

/** The fragment as ProseMirror JSON (same as y-prosemirror's yXmlFragmentToProsemirrorJSON). */
export function fragmentToRichText(fragment: Y.XmlFragment): RichTextNode {
  const node = (item: unknown): RichTextNode[] => {
    if (item instanceof Y.XmlText) {
      return (item.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[])
        .filter((d) => typeof d.insert === 'string')
        .map((d) => {
          const t: RichTextNode = { type: 'text', text: d.insert as string }
          if (d.attributes && Object.keys(d.attributes).length) {
            t.marks = Object.entries(d.attributes).map(([k, attrs]) => {
              const m: { type: string; attrs?: Record<string, unknown> } = { type: markName(k) }
              if (isObj(attrs) && Object.keys(attrs).length) m.attrs = attrs
              return m
            })
          }
          return t
        })
    }
    if (item instanceof Y.XmlElement) {
      const out: RichTextNode = { type: item.nodeName }
      const attrs = item.getAttributes()
      if (Object.keys(attrs).length) out.attrs = attrs
      const children = item.toArray().flatMap(node)
      if (children.length) out.content = children
      return [out]
    }
    return []
  }
  return { type: 'doc', content: fragment.toArray().flatMap(node) }
}

/** Y types for ProseMirror JSON nodes (consecutive text nodes share one Y.XmlText). */
function toYNodes(nodes: RichTextNode[] | undefined): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = []
  let run: RichTextNode[] = []
  const endRun = () => {
    if (!run.length) return
    const t = new Y.XmlText()
    t.applyDelta(
      run.map((n) => ({
        insert: n.text ?? '',
        attributes: Object.fromEntries((n.marks ?? []).map((m) => [m.type, m.attrs ?? {}])),
      })),
    )
    out.push(t)
    run = []
  }
  for (const n of nodes ?? []) {
    if (!isObj(n) || typeof n.type !== 'string') continue
    if (n.type === 'text') {
      if (typeof n.text === 'string' && n.text.length) run.push(n)
      continue
    }
    endRun()
    const el = new Y.XmlElement(n.type)
    for (const [k, v] of Object.entries(n.attrs ?? {})) if (v !== null && v !== undefined) el.setAttribute(k, v as any)
    const children = toYNodes(n.content)
    if (children.length) el.insert(0, children)
    out.push(el)
  }
  endRun()
  return out
}

/** A new fragment holding `richText` (to be put into a record's Y.Map). */
export function richTextToFragment(richText: unknown): Y.XmlFragment {
  const f = new Y.XmlFragment()
  if (isRichText(richText)) {
    const nodes = toYNodes(richText.content)
    if (nodes.length) f.insert(0, nodes)
  }
  return f
}

/** ProseMirror JSON without null/empty attrs, empty marks/content: equal text compares equal. */
export function normalizeRichText(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalizeRichText)
  if (!isObj(v)) return v
  const out: Record<string, unknown> = {}
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue
    if ((k === 'attrs' || k === 'marks' || k === 'content') && (Array.isArray(val) ? val.length === 0 : isObj(val) && Object.values(val).every((x) => x === null || x === undefined))) continue
    out[k] = normalizeRichText(val)
  }
  return out
}

export function sameRichText(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(normalizeRichText(a))) === JSON.stringify(sortKeys(normalizeRichText(b)))
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (!isObj(v)) return v
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]))
}

/** Plain text of a block node (for the character-level diff below). */
function plainOf(el: unknown): string | null {
  if (!(el instanceof Y.XmlElement)) return null
  const kids = el.toArray()
  if (kids.length === 0) return ''
  if (kids.length === 1 && kids[0] instanceof Y.XmlText) {
    const delta = kids[0].toDelta() as { insert: unknown; attributes?: object }[]
    if (delta.every((d) => typeof d.insert === 'string' && !d.attributes)) return delta.map((d) => d.insert).join('')
  }
  return null
}
function plainOfJson(n: RichTextNode | undefined): string | null {
  if (!n || n.type === 'text') return null
  const kids = n.content ?? []
  if (kids.every((k) => k.type === 'text' && !(k.marks && k.marks.length))) return kids.map((k) => k.text ?? '').join('')
  return null
}

/**
 * Writes `richText` into `fragment` as a minimal edit: equal leading/trailing blocks are kept;
 * when one plain paragraph changed into one plain paragraph of the same kind, only the changed
 * characters are replaced (so a concurrent edit elsewhere in that paragraph survives);
 * otherwise the differing blocks are replaced. Call inside a transaction.
 */
export function writeRichTextToFragment(fragment: Y.XmlFragment, richText: unknown): void {
  const want = isRichText(richText) ? (richText.content ?? []) : []
  const have = fragment.toArray()
  const haveJson = fragmentToRichText(fragment).content ?? []
  // fragmentToRichText maps each Y child to exactly one block
  let start = 0
  while (start < have.length && start < want.length && sameRichText(haveJson[start], want[start])) start++
  let endHave = have.length
  let endWant = want.length
  while (endHave > start && endWant > start && sameRichText(haveJson[endHave - 1], want[endWant - 1])) endHave--, endWant--
  if (start === endHave && start === endWant) return
  if (endHave - start === 1 && endWant - start === 1) {
    const el = have[start]
    const oldText = plainOf(el)
    const newText = plainOfJson(want[start])
    const wantAttrs = normalizeRichText(want[start].attrs ?? {})
    if (el instanceof Y.XmlElement && oldText !== null && newText !== null && el.nodeName === want[start].type && sameRichText(el.getAttributes(), wantAttrs)) {
      let p = 0
      while (p < oldText.length && p < newText.length && oldText[p] === newText[p]) p++
      let s = 0
      while (s < oldText.length - p && s < newText.length - p && oldText[oldText.length - 1 - s] === newText[newText.length - 1 - s]) s++
      let t = el.get(0) as Y.XmlText | undefined
      if (!t) {
        t = new Y.XmlText()
        el.insert(0, [t])
      }
      if (oldText.length - p - s > 0) t.delete(p, oldText.length - p - s)
      if (newText.length - p - s > 0) t.insert(p, newText.slice(p, newText.length - s))
      return
    }
  }
  if (endHave > start) fragment.delete(start, endHave - start)
  const nodes = toYNodes(want.slice(start, endWant))
  if (nodes.length) fragment.insert(start, nodes)
}

/** Plain text of ProseMirror JSON (paragraphs joined by newlines). */
export function richTextToPlain(v: unknown): string {
  if (!isObj(v)) return ''
  if (v.type === 'text') return typeof v.text === 'string' ? v.text : ''
  const kids = Array.isArray(v.content) ? v.content : []
  return kids.map(richTextToPlain).join(v.type === 'doc' ? '\n' : '')
}
