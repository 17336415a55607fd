import { useEffect, useRef } from 'react'
import type { Editor } from 'tldraw'
import type { TitleBlockInfo } from '@copboard/templates'
import { installScaffoldLock } from './scaffoldLock'
import { installTemplateFollow } from './follow'
import { installAnonymousZones } from './anonymous'
import { installPageNames } from './pageNames'
import { getLang } from '../i18n'
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
  /** viewers and ended boards: no signing */
  readonly: boolean
  titleDefaults?: Partial<TitleBlockInfo>
  /** the gallery is opened from the facilitation panel */
  galleryOpen: boolean
  onCloseGallery: () => void
}

/** Everything of issue 5 on the board: lock, gallery (facilitator), zone navigator, accord signing. */
export function TemplatesPanel({ editor, isFacilitator, readonly, titleDefaults, galleryOpen, onCloseGallery }: TemplatesPanelProps) {
  useScaffoldLock(editor, isFacilitator)
  useEffect(() => installAnonymousZones(editor), [editor])
  // pages named after what is on them (the facilitator's client writes the names)
  useEffect(() => (isFacilitator ? installPageNames(editor, getLang) : undefined), [editor, isFacilitator])
  // participants land on / follow to the facilitator's template page
  useEffect(() => (isFacilitator ? undefined : installTemplateFollow(editor)), [editor, isFacilitator])
  return (
    <div className="cb-tpl-panel" data-testid="templates-panel">
      <ZoneNavigator editor={editor} />
      {galleryOpen && isFacilitator && <TemplateGallery editor={editor} canLaunch={isFacilitator} defaults={titleDefaults} onClose={onCloseGallery} />}
    </div>
  )
}
