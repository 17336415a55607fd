/**
 * Readable canvas (issue 10, templates SPEC rule 4): every text of every template measures at
 * least 4.5:1 against what lies under it, in tldraw's own light palette, and a participant lands
 * (first agenda step, frameLanding) at a zoom where every text is at least 12 px on screen, on a
 * 1280×720 laptop as on a 1920×1080 screen.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_THEME } from 'tldraw'
import { getTemplate, templates, templateToRecords, zoneBounds } from '@copboard/templates'
import { cameraFor, MIN_LANDING_ZOOM } from './launch'

type Shape = { id: string; type: string; x: number; y: number; parentId: string; props: Record<string, any> }
const light = (DEFAULT_THEME as any).colors.light
/** tldraw's text sizes: multiples of the theme's 16 px (s 1.125, m 1.5, l 2.25, xl 2.75). */
const FONT_PX: Record<string, number> = { s: 18, m: 24, l: 36, xl: 44 }

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}

function absolute(map: Map<string, Shape>, s: Shape) {
  let x = s.x
  let y = s.y
  let p = map.get(s.parentId)
  while (p) {
    x += p.x
    y += p.y
    p = map.get(p.parentId)
  }
  return { x, y }
}

/** The fill under a point: the smallest filled geo or frame containing it, else the page. */
function backgroundAt(shapes: Shape[], map: Map<string, Shape>, pt: { x: number; y: number }): string {
  let best: { area: number; color: string } | null = null
  for (const s of shapes) {
    if (s.type !== 'geo' && s.type !== 'frame') continue
    if (s.type === 'geo' && s.props.fill === 'none') continue
    const a = absolute(map, s)
    const { w, h } = s.props
    if (pt.x < a.x || pt.y < a.y || pt.x > a.x + w || pt.y > a.y + h) continue
    const color = s.type === 'frame' ? light[s.props.color].frameFill : s.props.fill === 'semi' ? light.solid : light[s.props.color].semi
    if (!best || w * h < best.area) best = { area: w * h, color }
  }
  return best?.color ?? light.background
}

describe('readable canvas (issue 10)', () => {
  for (const t of templates) {
    it(`rule 4: every text of ${t.id} is at least 4.5:1 against its background`, () => {
      const shapes = templateToRecords(t, { pageId: 'page:p', titleBlock: { copName: 'CoP', sessionNumber: 1, date: '2026-01-01' } }) as unknown as Shape[]
      const map = new Map(shapes.map((s) => [s.id, s]))
      const texts = shapes.filter((s) => s.type === 'text')
      expect(texts.length).toBeGreaterThan(3)
      for (const s of texts) {
        const a = absolute(map, s)
        const fg = light[s.props.color].solid
        const bg = backgroundAt(shapes, map, { x: a.x + 4, y: a.y + 4 })
        expect(contrast(fg, bg), `${s.id}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5)
      }
    })
  }

  for (const vp of [{ w: 1280, h: 720 - 52 }, { w: 1920, h: 1080 - 52 }]) {
    it(`rule 4: a participant lands on the first step where every text is ≥ 12 px (${vp.w}×${vp.h})`, () => {
      for (const t of templates) {
        const step = getTemplate(t.id)!.agenda[0]
        const cam = cameraFor(vp, zoneBounds(t, step.zoneIds)!, MIN_LANDING_ZOOM)
        const shapes = templateToRecords(t, { pageId: 'page:p' }) as unknown as Shape[]
        for (const s of shapes.filter((x) => x.type === 'text')) {
          const px = FONT_PX[s.props.size] * (s.props.scale ?? 1) * cam.z
          expect(px, `${t.id} ${s.id}`).toBeGreaterThanOrEqual(12)
        }
      }
    })
  }

  it('the contrast formula is WCAG’s (black on white 21:1, the old grey prompt 2.4:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 0)
    expect(contrast('#9fa8b2', '#fcfffe')).toBeLessThan(2.6)
  })
})
