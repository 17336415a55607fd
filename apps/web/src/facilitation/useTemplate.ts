/** The template whose agenda runs: the session's agenda if set, else the template on the current page. */
import { useValue, type Editor } from 'tldraw'
import { boardZones, getTemplate, type TemplateDefinition } from '@copboard/templates'
import type { AgendaState, PageView } from '@copboard/board'
import { currentTemplateId } from '../templates/launch'

export function useAgendaTemplate(editor: Editor, agenda: AgendaState | null): { template: TemplateDefinition | null; pageId: string } {
  const current = useValue('copboard template on page', () => ({ id: currentTemplateId(editor), pageId: editor.getCurrentPageId() as string }), [editor])
  if (agenda && editor.getPage(agenda.pageId as never)) return { template: getTemplate(agenda.templateId) ?? null, pageId: agenda.pageId }
  return { template: current.id ? (getTemplate(current.id) ?? null) : null, pageId: current.pageId }
}

/** Union of some zones of a template on a page, in page coordinates. */
export function zonesView(editor: Editor, pageId: string, templateId: string, zoneIds: string[]): PageView | null {
  const zones = boardZones(editor.store.allRecords()).filter((z) => z.pageId === pageId && z.templateId === templateId && zoneIds.includes(z.zoneId))
  if (!zones.length) return null
  const x = Math.min(...zones.map((z) => z.bounds.x))
  const y = Math.min(...zones.map((z) => z.bounds.y))
  const r = Math.max(...zones.map((z) => z.bounds.x + z.bounds.w))
  const b = Math.max(...zones.map((z) => z.bounds.y + z.bounds.h))
  return { pageId, x, y, w: r - x, h: b - y }
}

/** What this editor shows now, as a page view. */
export function currentView(editor: Editor): PageView {
  const b = editor.getViewportPageBounds()
  return { pageId: editor.getCurrentPageId(), x: b.x, y: b.y, w: b.w, h: b.h }
}
