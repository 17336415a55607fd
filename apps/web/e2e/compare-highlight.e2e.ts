/**
 * Compare on the board (chromium, BUILT server + web, the demo CoP's archived sessions): the
 * highlight of a new or changed note must not look like a perspective (gemeente blue,
 * initiatief green, overig violet) and must not rely on colour alone: each highlight carries a
 * text label ("Nieuw"/"Gewijzigd"/"Verwijderd", English with the switch), its outline has a
 * WCAG non-text contrast >= 3:1 against the canvas and its label text >= 4.5:1.
 * Screenshot: apps/web/artifacts/compare-highlight.png (looked at).
 */
import { describe, expect, it } from 'vitest'
import { shot } from './support/browser'
import { openDemoCompare } from './support/compareView'
import { useBoardServer } from './support/suite'

const suite = useBoardServer()

type Rgb = [number, number, number]
const parse = (c: string): Rgb => {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(c)
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])]
  const h = /^#([0-9a-f]{6})$/i.exec(c)!
  return [0, 2, 4].map((i) => parseInt(h[1].slice(i, i + 2), 16)) as Rgb
}
const luminance = ([r, g, b]: Rgb) => {
  const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
}
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}
/** Hue distance in degrees (0..180). */
const hue = ([r, g, b]: Rgb) => {
  const [R, G, B] = [r / 255, g / 255, b / 255]
  const max = Math.max(R, G, B)
  const d = max - Math.min(R, G, B)
  if (d === 0) return null // grey: no hue
  const h = max === R ? ((G - B) / d) % 6 : max === G ? (B - R) / d + 2 : (R - G) / d + 4
  return (h * 60 + 360) % 360
}
const hueDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b))
/** apps/web/src/join/profile.ts PERSPECTIVE_COLOR (hex) and tldraw's note fills of blue/green/violet. */
const PERSPECTIVES: Rgb[] = ['#4465e9', '#099268', '#ae3ec9'].map(parse)

describe('compare highlights (demo CoP)', () => {
  it('a new or changed note is outlined in no perspective colour, labelled in text, with AA contrast', async () => {
    const page = await openDemoCompare(suite.browser, suite.server.url)
    const marks = await page.evaluate(() => {
      // hit-testable for this check only (the layer ignores the pointer)
      const layer = document.querySelector<HTMLElement>('[data-testid=compare-highlights]')!
      layer.style.pointerEvents = 'auto'
      const out = [...layer.querySelectorAll<HTMLElement>('[data-kind]')].map((el) => {
        const label = el.querySelector<HTMLElement>('[data-role=label]')
        const cs = getComputedStyle(el)
        const ls = label ? getComputedStyle(label) : null
        return {
          kind: el.dataset.kind!,
          // a removed note's outline is an SVG stroke (cut where new notes stand), the others a border
          outline: el.dataset.kind === 'removed' ? getComputedStyle(el.querySelector('[data-role=outline] rect[stroke]')!).stroke : cs.borderTopColor,
          label: label?.textContent ?? '',
          labelFg: ls?.color ?? '',
          labelBg: ls?.backgroundColor ?? '',
          labelPx: label ? label.getBoundingClientRect().height : 0,
          box: el.getBoundingClientRect().toJSON(),
          // painted on top: the label's centre hits the label, not a zone's filled frame
          onTop: (() => {
            if (!label) return false
            const r = label.getBoundingClientRect()
            return !!document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('[data-testid=compare-highlights]')
          })(),
        }
      })
      layer.style.pointerEvents = 'none'
      return out
    })
    const kinds = new Set(marks.map((m) => m.kind))
    expect(kinds.has('added') || kinds.has('changed')).toBe(true)
    const canvas = parse('#f9fafb') // tldraw's light canvas
    const text = { added: 'Nieuw', changed: 'Gewijzigd', removed: 'Verwijderd' } as Record<string, string>
    for (const m of marks) {
      expect(m.label, `${m.kind} carries a text label`).toBe(text[m.kind])
      expect(m.onTop, `${m.kind} mark at ${Math.round(m.box.x)},${Math.round(m.box.y)} is painted above the shapes`).toBe(true)
      expect(m.labelPx, 'the label is readable at any zoom').toBeGreaterThanOrEqual(14)
      const outline = parse(m.outline)
      expect(contrast(outline, canvas), `${m.kind} outline ${m.outline} vs canvas`).toBeGreaterThanOrEqual(3)
      expect(contrast(parse(m.labelFg), parse(m.labelBg)), `${m.kind} label text`).toBeGreaterThanOrEqual(4.5)
      const h = hue(outline)
      for (const p of PERSPECTIVES) {
        if (h !== null) expect(hueDistance(h, hue(p)!), `${m.kind} outline ${m.outline} is not a perspective hue`).toBeGreaterThan(40)
      }
    }
    await shot(page, 'compare-highlight')
    await page.context().close()
  })
})
