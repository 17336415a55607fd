import { useEffect, useRef, useState } from 'react'
import type { Editor } from 'tldraw'
import type { TitleBlockInfo } from '@copboard/templates'
import { useT } from '../i18n'
import { messages } from './messages'
import { installScaffoldLock } from './scaffoldLock'
import { installTemplateFollow } from './follow'
import { installAnonymousZones } from './anonymous'
import { TemplateGallery } from './TemplateGallery'
import { ZoneNavigator } from './ZoneNavigator'
import './templates.css'

/** Installs the scaffold lock for the lifetime of the editor; the role is read at each change. */
export function useScaffoldLock(editor: Editor | null | undefined, isFacilitator: boolean) {
  const role = useRef(isFacilitator)
  role.current = isFacilitator
  useEffect(() => {
    if (!editor) return
    return installScaffoldLock(editor, () => role.current)
  }, [editor])
}

export interface TemplatesPanelProps {
  editor: Editor
  /** true only for the facilitator — pass `useBoardAccess().role === 'facilitator'` (board/role.ts). */
  isFacilitator: boolean
  titleDefaults?: Partial<TitleBlockInfo>
}

/** Everything of issue 5 on the board: lock, gallery button (facilitator), zone navigator, accord signing. */
export function TemplatesPanel({ editor, isFacilitator, titleDefaults }: TemplatesPanelProps) {
  const t = useT(messages)
  const [open, setOpen] = useState(false)
  useScaffoldLock(editor, isFacilitator)
  useEffect(() => installAnonymousZones(editor), [editor])
  // participants land on / follow to the facilitator's template page
  useEffect(() => (isFacilitator ? undefined : installTemplateFollow(editor)), [editor, isFacilitator])
  return (
    <div className="cb-tpl-panel" data-testid="templates-panel">
      {isFacilitator && (
        <button type="button" className="cb-tpl-open" onClick={() => setOpen(true)} data-testid="open-templates">
          {t('templates')}
        </button>
      )}
      <ZoneNavigator editor={editor} />
      {open && isFacilitator && <TemplateGallery editor={editor} canLaunch={isFacilitator} defaults={titleDefaults} onClose={() => setOpen(false)} />}
    </div>
  )
}
