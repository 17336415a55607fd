/** Where the accord's kernstatement lives on the board: its text shape and its zone. */
import { toRichText, type Editor, type TLShape } from 'tldraw'
import { boardZones, richTextToPlain, statementHash } from '@copboard/templates'

type Meta = { copboard?: { part?: string; templateId?: string; zoneId?: string } }

/** The statement text shape: on the current page when it has one, else the last accord page's. */
export function findStatement(editor: Editor): TLShape | null {
  const all = (editor.store.allRecords() as TLShape[]).filter((r) => r.typeName === 'shape' && (r.meta as Meta).copboard?.part === 'statement')
  if (!all.length) return null
  const here = all.find((s) => editor.getAncestorPageId(s) === editor.getCurrentPageId())
  return here ?? all[all.length - 1]!
}

export function statementZoneBounds(editor: Editor, shape: TLShape) {
  const pageId = editor.getAncestorPageId(shape)
  const zone = boardZones(editor.store.allRecords()).find((z) => z.pageId === pageId && z.templateId === 'accord' && z.zoneId === 'statement')
  return zone?.bounds ?? null
}

/** Writes the text into the (locked, scaffold) statement shape: the facilitator may. */
export function writeStatementShape(editor: Editor, shape: TLShape, text: string) {
  editor.run(() => editor.updateShape({ id: shape.id, type: shape.type, props: { richText: toRichText(text) } } as never), { ignoreShapeLock: true })
}

export function statementShapeHash(shape: TLShape | null): string {
  return statementHash(shape ? richTextToPlain((shape.props as { richText?: unknown }).richText) : '')
}
