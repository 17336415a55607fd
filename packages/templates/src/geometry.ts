import type { Rect, TemplateDefinition } from './types'

/** Union of rects. */
export function unionRects(rects: Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x))
  const y = Math.min(...rects.map((r) => r.y))
  return { x, y, w: Math.max(...rects.map((r) => r.x + r.w)) - x, h: Math.max(...rects.map((r) => r.y + r.h)) - y }
}

/** Page bounds of a template placed at origin: its whole layout. */
export function templateBounds(t: TemplateDefinition, origin = { x: 0, y: 0 }): Rect {
  return { x: origin.x, y: origin.y, w: t.layout.width, h: t.layout.height }
}

/** Page bounds of some zones of a template placed at origin. */
export function zoneBounds(t: TemplateDefinition, zoneIds: string[], origin = { x: 0, y: 0 }): Rect | undefined {
  const rects = t.zones.filter((z) => zoneIds.includes(z.id)).map((z) => ({ ...z.rect, x: z.rect.x + origin.x, y: z.rect.y + origin.y }))
  return rects.length ? unionRects(rects) : undefined
}

/** Page bounds the camera frames for an agenda step. */
export function agendaStepBounds(t: TemplateDefinition, stepId: string, origin = { x: 0, y: 0 }): Rect | undefined {
  const step = t.agenda.find((a) => a.id === stepId)
  return step ? zoneBounds(t, step.zoneIds, origin) : undefined
}
