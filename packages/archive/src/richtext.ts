/** Plain text of a tldraw rich text (TipTap JSON) or a legacy `text` string. */
export function richTextToPlain(rt: unknown): string {
  if (rt == null) return ''
  if (typeof rt === 'string') return rt
  const out: string[] = []
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object') return
    const n = node as { type?: string; text?: string; content?: unknown[] }
    if (typeof n.text === 'string') out.push(n.text)
    if (n.type === 'hardBreak') out.push('\n')
    if (Array.isArray(n.content)) {
      n.content.forEach((c, i) => {
        walk(c, depth + 1)
        const ct = (c as { type?: string })?.type
        if ((ct === 'paragraph' || ct === 'heading' || ct === 'listItem') && i < n.content!.length - 1) out.push('\n')
      })
    }
  }
  walk(rt, 0)
  return out.join('')
}

/** Text of any shape record: props.richText, props.text or props.name (frames). */
export function shapeText(shape: { props?: Record<string, unknown> }): string {
  const p = shape.props ?? {}
  if (p.richText !== undefined) return richTextToPlain(p.richText)
  if (typeof p.text === 'string') return p.text
  if (typeof p.name === 'string') return p.name
  return ''
}
