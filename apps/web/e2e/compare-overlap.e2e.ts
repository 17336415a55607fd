/**
 * Compare marks that lie on top of each other stay readable (chromium, BUILT server + web, the
 * demo CoP's sessions 2 and 3: in the "Beleidsleren" lane a removed note lies under four new
 * ones, next to the lane's description). No label covers another label, a removed note's label
 * covers no new mark, the outlines of the board as it is now lie above the removed ones (the
 * removed outline is cut where a new note stands: no pixel of its red crosses one), and a
 * removed note where a note stands now shows no text of its own over it.
 * Screenshots: apps/web/artifacts/compare-overlap.png and compare-overlap-lane.png (looked at).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { shot } from './support/browser'
import { openDemoCompare } from './support/compareView'
import { useBoardServer } from './support/suite'

const suite = useBoardServer()

type Rect = { x: number; y: number; width: number; height: number }
/** Overlap in px² (a pixel of anti-aliasing is not an overlap). */
const overlap = (a: Rect, b: Rect) => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) - 1) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) - 1)

const intersection = (a: Rect, b: Rect): Rect => {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  return { x, y, width: Math.min(a.x + a.width, b.x + b.width) - x, height: Math.min(a.y + a.height, b.y + b.height) - y }
}
/** Without `by` px at each side (with, for a negative `by`). */
const inset = (r: Rect, by: number): Rect => ({ x: r.x + by, y: r.y + by, width: Math.max(0, r.width - 2 * by), height: Math.max(0, r.height - 2 * by) })

/**
 * Pixels of the removed mark's red (COMPARE_MARK.removed, #c92a2a; not the changed mark's brown)
 * in a screenshot of the page: per probe, inside its `inside` rects, and inside `outside.box` but
 * none of its `except` rects (CSS px; the screenshot is decoded in the page itself).
 */
async function redPixels(page: Page, probes: { inside: Rect[]; outside: { box: Rect; except: Rect[] } }[]): Promise<{ inside: number; outside: number }[]> {
  const png = (await page.screenshot()).toString('base64')
  return page.evaluate(async ({ png, probes }) => {
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0))
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }))
    const scale = bmp.width / window.innerWidth
    const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d')!
    ctx.drawImage(bmp, 0, 0)
    const isRed = (d: Uint8ClampedArray, i: number) => d[i] > 170 && d[i + 1] < 80 && d[i + 2] < 80 && Math.abs(d[i + 1] - d[i + 2]) < 25
    const within = (r: Rect, x: number, y: number) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
    const count = (r: Rect, skip: (x: number, y: number) => boolean) => {
      const x0 = Math.max(0, Math.round(r.x * scale))
      const y0 = Math.max(0, Math.round(r.y * scale))
      const w = Math.min(bmp.width - x0, Math.round(r.width * scale))
      const h = Math.min(bmp.height - y0, Math.round(r.height * scale))
      if (w <= 0 || h <= 0) return 0
      const d = ctx.getImageData(x0, y0, w, h).data
      let n = 0
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (isRed(d, (y * w + x) * 4) && !skip((x0 + x) / scale, (y0 + y) / scale)) n++
      return n
    }
    return probes.map((p) => ({
      inside: p.inside.reduce((n, r) => n + count(r, () => false), 0),
      outside: count(p.outside.box, (x, y) => p.outside.except.some((r) => within(r, x, y))),
    }))
  }, { png, probes })
}

describe('compare marks lying on top of each other (demo CoP)', () => {
  it('labels never cover each other, a removed note\'s label covers no new mark, new outlines lie above removed ones', async () => {
    const page = await openDemoCompare(suite.browser, suite.server.url, { deviceScaleFactor: 2 })
    const marks = await page.evaluate(() => {
      const layer = document.querySelector<HTMLElement>('[data-testid=compare-highlights]')!
      layer.style.pointerEvents = 'auto' // hit-testable for this check only
      const out = [...layer.querySelectorAll<HTMLElement>('[data-kind]')].map((el) => {
        const label = el.querySelector<HTMLElement>('[data-role=label]')!
        const r = label.getBoundingClientRect()
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
        return {
          kind: el.dataset.kind!,
          box: el.getBoundingClientRect().toJSON() as Rect,
          label: r.toJSON() as Rect,
          labelOnTop: !!top && label.contains(top),
          ghostText: el.querySelector('[data-role=ghost-text]')?.textContent ?? null,
        }
      })
      layer.style.pointerEvents = 'none'
      return out
    })
    const removed = marks.filter((m) => m.kind === 'removed')
    const current = marks.filter((m) => m.kind !== 'removed')
    // the case this is about is on the board: a removed note lies under new ones
    const underNew = removed.filter((r) => current.some((c) => overlap(r.box, c.box) > 0))
    expect(underNew.length, 'a removed note lies under new notes').toBeGreaterThan(0)
    for (let i = 0; i < marks.length; i++)
      for (let j = i + 1; j < marks.length; j++) expect(overlap(marks[i].label, marks[j].label), `label of ${marks[i].kind} #${i} and ${marks[j].kind} #${j}`).toBe(0)
    for (const r of removed) for (const c of current) expect(overlap(r.label, c.box), `removed label at ${Math.round(r.label.x)},${Math.round(r.label.y)} over a ${c.kind} note`).toBe(0)
    for (const m of marks) expect(m.labelOnTop, `${m.kind} label at ${Math.round(m.label.x)},${Math.round(m.label.y)} is painted on top`).toBe(true)
    for (const r of underNew) expect(r.ghostText, 'a removed note under new ones shows no text over them').toBeNull()
    expect(removed.some((r) => r.ghostText), 'a removed note where nothing stands now keeps its text').toBe(true)
    // the removed note's dashed outline lies beneath the new notes: none of its red inside a new
    // note's outline box (it crossed them before), while it is still drawn where nothing stands
    const red = await redPixels(page, underNew.map((r) => ({
      // the removed outline's own edges in full, the cut's anti-aliased edge (the new box's) left out
      inside: current.filter((c) => overlap(r.box, c.box) > 0).map((c) => intersection(inset(r.box, -2), inset(c.box, 2))),
      outside: { box: r.box, except: [r.label, ...current.map((c) => c.box)] },
    })))
    for (const [i, r] of red.entries()) {
      expect(r.inside, `removed outline #${i}: red pixels over the new notes on it`).toBe(0)
      expect(r.outside, `removed outline #${i}: red pixels where nothing stands`).toBeGreaterThan(50)
    }
    await shot(page, 'compare-overlap')
    // the lane close up, as a facilitator zooms in on it
    const lane = underNew[0].box
    await page.screenshot({ path: new URL('../artifacts/compare-overlap-lane.png', import.meta.url).pathname, clip: { x: Math.max(0, lane.x - 120), y: Math.max(0, lane.y - 90), width: 640, height: 200 } })
    await page.context().close()
  })
})
