/** tldraw rich text (TipTap JSON) <-> plain text; the one place the board's text is read as text. */
import type { TLRichText } from '@tldraw/tlschema'

/** Plain text (newlines = paragraphs) to tldraw rich text (TipTap doc). Same shape as tldraw's toRichText. */
export function plainToRichText(text: string): TLRichText {
  const lines = text.split('\n')
  return {
    type: 'doc',
    content: lines.map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
  }
}

/** Nodes whose children are inline (text, hard breaks): their children are joined without a separator. */
const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock'])

/**
 * Rich text (any TipTap JSON, or a legacy plain string) to plain text: blocks (paragraphs, headings,
 * list items, lists, quotes) on their own lines, hard breaks become newlines.
 */
export function richTextToPlain(rich: unknown): string {
  if (!rich || typeof rich !== 'object') return typeof rich === 'string' ? rich : ''
  const node = rich as { type?: string; text?: string; content?: unknown[] }
  if (node.type === 'text') return node.text ?? ''
  if (node.type === 'hardBreak') return '\n'
  const parts = (node.content ?? []).map(richTextToPlain)
  return parts.join(node.type !== undefined && TEXTBLOCKS.has(node.type) ? '' : '\n')
}

/** Text of any shape record: props.richText, else props.text, else props.name (frames). */
export function shapeText(shape: { props?: unknown }): string {
  const p = (shape.props ?? {}) as { richText?: unknown; text?: unknown; name?: unknown }
  if (p.richText !== undefined) return richTextToPlain(p.richText)
  if (typeof p.text === 'string') return p.text
  if (typeof p.name === 'string') return p.name
  return ''
}
