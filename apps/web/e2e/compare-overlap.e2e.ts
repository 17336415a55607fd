/**
 * Compare marks that lie on top of each other stay readable (chromium, BUILT server + web, the
 * demo CoP's sessions 2 and 3: in the "Beleidsleren" lane a removed note lies under four new
 * ones, next to the lane's description). No label covers another label, a removed note's label
 * covers no new mark, the outlines of the board as it is now lie above the removed ones, and a
 * removed note where a note stands now shows no text of its own over it.
 * Screenshots: apps/web/artifacts/compare-overlap.png and compare-overlap-lane.png (looked at).
 */
import { describe, expect, it } from 'vitest'
import { shot } from './support/browser'
import { openDemoCompare } from './support/compareView'
import { useBoardServer } from './support/suite'

const suite = useBoardServer()

type Rect = { x: number; y: number; width: number; height: number }
/** Overlap in px² (a pixel of anti-aliasing is not an overlap). */
const overlap = (a: Rect, b: Rect) => Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) - 1) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) - 1)

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
    await shot(page, 'compare-overlap')
    // the lane close up, as a facilitator zooms in on it
    const lane = underNew[0].box
    await page.screenshot({ path: new URL('../artifacts/compare-overlap-lane.png', import.meta.url).pathname, clip: { x: Math.max(0, lane.x - 120), y: Math.max(0, lane.y - 90), width: 640, height: 200 } })
    await page.context().close()
  })
})
