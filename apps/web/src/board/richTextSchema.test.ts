/**
 * patches/tldraw@5.4.2.patch (issue 12): tldraw renders a note's label through TipTap, which built
 * the ProseMirror schema from the extensions again for every label; the patch builds it once per
 * extensions array, with the same output.
 */
import { describe, expect, it } from 'vitest'
import { generateText, type JSONContent } from '@tiptap/core'
import { getTipTapDefaultExtensions, renderPlaintextFromRichText, toRichText, type Editor } from 'tldraw'

/** The extensions, counting how often anyone walks through them. */
function countedExtensions() {
  const reads = { n: 0 }
  const extensions = new Proxy(getTipTapDefaultExtensions(), {
    get(target, key, receiver) {
      if (key === Symbol.iterator || key === 'length') reads.n++
      return Reflect.get(target, key, receiver)
    },
  })
  const editor = { getTextOptions: () => ({ tipTapConfig: { extensions } }) } as unknown as Editor
  return { extensions, editor, reads }
}

describe('note labels share one TipTap schema (patched tldraw)', () => {
  it('builds the schema once for many labels', () => {
    const { editor, reads } = countedExtensions()
    renderPlaintextFromRichText(editor, toRichText('eerste notitie'))
    const afterFirst = reads.n
    expect(afterFirst).toBeGreaterThan(0)
    for (let i = 0; i < 20; i++) renderPlaintextFromRichText(editor, toRichText(`notitie ${i}`))
    expect(reads.n).toBe(afterFirst)
  })

  it('gives the text TipTap itself gives', () => {
    const { editor, extensions } = countedExtensions()
    const rich = toRichText('Meer groen\nin de wijk\n\nen bankjes')
    expect(renderPlaintextFromRichText(editor, rich)).toBe(generateText(rich as JSONContent, [...extensions], { blockSeparator: '\n' }))
    expect(renderPlaintextFromRichText(editor, rich)).toContain('in de wijk')
  })
})
