import { createShapeId, toRichText, useValue, type Editor, type TLShape } from 'tldraw'
import { boardZones, richTextToPlain, statementHash } from '@copboard/templates'
import { useT } from '../i18n'
import { messages } from './messages'
import { currentTemplateId } from './launch'

function signatures(editor: Editor): TLShape[] {
  const zone = boardZones(editor.store.allRecords()).find((z) => z.pageId === editor.getCurrentPageId() && z.templateId === 'accord' && z.zoneId === 'signatures')
  if (!zone) return []
  return (editor.getCurrentPageShapes() as TLShape[]).filter((s) => {
    if (s.type !== 'note') return false
    const b = editor.getShapePageBounds(s.id)
    return !!b && b.center.x >= zone.bounds.x && b.center.x <= zone.bounds.x + zone.bounds.w && b.center.y >= zone.bounds.y && b.center.y <= zone.bounds.y + zone.bounds.h
  })
}

/** Accord endorsement: one signature note per participant, recording which statement version was signed. */
export function SignAccord({ editor }: { editor: Editor }) {
  const t = useT(messages)
  const isAccord = useValue('copboard accord page', () => currentTemplateId(editor) === 'accord', [editor])
  const name = useValue('copboard user name', () => editor.user.getName(), [editor])
  const signed = useValue('copboard signed', () => isAccord && signatures(editor).some((s) => (s.meta as { author?: string }).author === name), [editor, isAccord, name])
  if (!isAccord) return null
  const sign = () => {
    if (signed || !name) return
    const zone = boardZones(editor.store.allRecords()).find((z) => z.pageId === editor.getCurrentPageId() && z.templateId === 'accord' && z.zoneId === 'signatures')
    if (!zone) return
    const statement = (editor.getCurrentPageShapes() as TLShape[]).find((s) => (s.meta as { copboard?: { part?: string } }).copboard?.part === 'statement')
    const hash = statementHash(statement ? richTextToPlain((statement.props as { richText?: unknown }).richText) : '')
    const i = signatures(editor).length
    const perRow = Math.max(1, Math.floor((zone.bounds.w - 40) / 170))
    editor.markHistoryStoppingPoint('sign accord')
    editor.createShape({
      id: createShapeId(),
      type: 'note',
      x: zone.bounds.x + 24 + (i % perRow) * 170,
      y: zone.bounds.y + 150 + Math.floor(i / perRow) * 170,
      props: { richText: toRichText(name), scale: 0.75, color: 'light-green' },
      meta: { author: name, copboard: { signature: { statementHash: hash } } },
    })
  }
  return (
    <button type="button" className="cb-tpl-sign" onClick={sign} disabled={signed || !name} data-testid="sign-accord">
      {signed ? t('signed') : t('sign')}
    </button>
  )
}
