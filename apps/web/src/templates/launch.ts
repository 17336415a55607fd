import { Box, PageRecordType, type Editor, type TLShape, type TLShapePartial } from 'tldraw'
import { boardZones, getTemplate, templateBounds, templateToRecords, type Lang, type TemplateDefinition, type TitleBlockInfo } from '@copboard/templates'

export interface LaunchOptions {
  lang: Lang
  titleBlock?: TitleBlockInfo
  animate?: boolean
}

/**
 * Place a template on a NEW page, switch to it and frame the camera on it.
 * One undoable step: a history stopping point, then everything in one editor.run batch.
 */
export function launchTemplate(editor: Editor, template: TemplateDefinition, opts: LaunchOptions) {
  const pageId = PageRecordType.createId()
  const records = templateToRecords(template, { pageId, lang: opts.lang, titleBlock: opts.titleBlock })
  editor.markHistoryStoppingPoint(`launch template ${template.id}`)
  editor.run(() => {
    editor.createPage({ id: pageId, name: template.title[opts.lang] })
    editor.setCurrentPage(pageId)
    editor.createShapes(records as TLShapePartial[])
  })
  frameRect(editor, templateBounds(template), opts.animate ?? true)
  return pageId
}

/** Screen insets that keep framed content clear of tldraw's menu and the zone navigator (top), style panel (right) and toolbar (bottom); the board header sits above the canvas, so these are canvas-relative and kept tight. */
export const FRAME_INSETS = { left: 24, top: 56, right: 232, bottom: 60 }

/** Prompts are 24 px on the page: at this zoom they are 12 px on screen (issue 10, readable canvas). */
export const MIN_LANDING_ZOOM = 0.5

/**
 * The camera that fits `r` between the insets of a viewport of `vp` size. With `minZoom`, a rect
 * too large to fit at that zoom is shown from its top-left corner (reading order) at `minZoom`.
 */
export function cameraFor(vp: { w: number; h: number }, r: { x: number; y: number; w: number; h: number }, minZoom = 0): { x: number; y: number; z: number } {
  const { left, top, right, bottom } = FRAME_INSETS
  const availW = vp.w - left - right
  const availH = vp.h - top - bottom
  const fit = Math.min(availW / r.w, availH / r.h)
  const z = Math.max(fit, minZoom)
  const offX = z > fit && r.w * z > availW ? 0 : (availW - r.w * z) / 2
  const offY = z > fit && r.h * z > availH ? 0 : (availH - r.h * z) / 2
  return { x: (left + offX) / z - r.x, y: (top + offY) / z - r.y, z }
}

export function frameRect(editor: Editor, r: { x: number; y: number; w: number; h: number }, animate = true, minZoom = 0) {
  const vp = editor.getViewportScreenBounds()
  const { left, top, right, bottom } = FRAME_INSETS
  if (vp.w - left - right < 200 || vp.h - top - bottom < 200) {
    editor.zoomToBounds(new Box(r.x, r.y, r.w, r.h), { inset: 16, ...(animate ? { animation: { duration: 450 } } : {}) })
    return
  }
  editor.setCamera(cameraFor(vp, r, minZoom), animate ? { animation: { duration: 450 } } : undefined)
}

/** The template on the current page (from its scaffold), if any. */
export function currentTemplateId(editor: Editor): string | null {
  for (const s of editor.getCurrentPageShapes() as TLShape[]) {
    const m = (s.meta as { copboard?: { templateId?: string; scaffold?: boolean } }).copboard
    if (m?.scaffold && typeof m.templateId === 'string') return m.templateId
  }
  return null
}

/** Frame some zones of the template on the current page, read from the board (wherever it was placed). */
export function frameZones(editor: Editor, templateId: string, zoneIds: string[], animate = true): boolean {
  const pageId = editor.getCurrentPageId()
  const zones = boardZones(editor.store.allRecords()).filter((z) => z.pageId === pageId && z.templateId === templateId && zoneIds.includes(z.zoneId))
  if (!zones.length) return false
  const x = Math.min(...zones.map((z) => z.bounds.x))
  const y = Math.min(...zones.map((z) => z.bounds.y))
  const r = Math.max(...zones.map((z) => z.bounds.x + z.bounds.w))
  const b = Math.max(...zones.map((z) => z.bounds.y + z.bounds.h))
  frameRect(editor, { x, y, w: r - x, h: b - y }, animate)
  return true
}

/**
 * Where a participant lands on a template page: its first agenda step, at a zoom where every
 * prompt is readable (MIN_LANDING_ZOOM); the whole template when it has no agenda.
 */
export function frameLanding(editor: Editor, animate = false) {
  const id = currentTemplateId(editor)
  const step = id ? getTemplate(id)?.agenda[0] : undefined
  const pageId = editor.getCurrentPageId()
  const zones = step ? boardZones(editor.store.allRecords()).filter((z) => z.pageId === pageId && z.templateId === id && step.zoneIds.includes(z.zoneId)) : []
  if (!zones.length) return frameTemplate(editor, animate)
  const x = Math.min(...zones.map((z) => z.bounds.x))
  const y = Math.min(...zones.map((z) => z.bounds.y))
  const r = Math.max(...zones.map((z) => z.bounds.x + z.bounds.w))
  const b = Math.max(...zones.map((z) => z.bounds.y + z.bounds.h))
  frameRect(editor, { x, y, w: r - x, h: b - y }, animate, MIN_LANDING_ZOOM)
}

/** Frame the whole template on the current page (all its scaffold shapes). */
export function frameTemplate(editor: Editor, animate = true) {
  const ids = (editor.getCurrentPageShapes() as TLShape[]).filter((s) => (s.meta as { copboard?: unknown }).copboard).map((s) => s.id)
  const bounds = editor.getShapesPageBounds(ids)
  if (bounds) frameRect(editor, { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }, animate)
}
