/**
 * Issue 6 e2e (chromium, BUILT server + web — the real home page, board at /b/:room and CoP archive):
 * a facilitator creates a CoP on the home page, opens the board, starts the session there, launches
 * the comedy template from the gallery; a participant (participant link, own context) adds notes in
 * act 2 and in the anonymous act 1 with the note tool; the facilitator ends the session from the
 * board, opens the archive, sees the thumbnail, opens the snapshot read-only on the canvas and exports
 * the report: the Markdown holds the participant's notes under the right act, act 1 without author.
 * Screenshots: apps/web/artifacts/archive-*.png (looked at).
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { getTemplate } from '@copboard/templates'
import { useBoardServer } from './support/suite'
import { recordRequests, shot, waitUntil } from './support/browser'
import { addNote, completeJoin, notes } from './support/board'

const suite = useBoardServer()

/** Page-space centre of a comedy half (act, 'Gemeente' | 'Initiatieven'), template placed at the origin. */
function half(act: string, label: string) {
  const zones = getTemplate('comedy')!.zones
  const z = zones.find((x) => x.parentZoneId === act && x.label.nl === label)!
  return { x: z.rect.x + z.rect.w / 2, y: z.rect.y + z.rect.h / 2 + 40 }
}

describe('archive e2e (real app)', () => {
  it('create CoP -> start -> comedy -> participant notes -> end from the board -> archive, read-only snapshot, report', async () => {
    const fctx = await suite.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    fctx.setDefaultTimeout(120_000) // a loaded 2-core machine: a board can take > 30 s to appear
    const frequests = recordRequests(fctx)
    const fac = await fctx.newPage()
    const errors: string[] = []
    fac.on('pageerror', (e) => errors.push(e.message))

    // home page: create the CoP
    await fac.goto(`${suite.server.url}/`)
    await fac.fill('input[name=name]', 'CoP Warmtetransitie Zwolle')
    await fac.fill('input[name=theme]', 'Samenwerking tussen gemeente en warmte-initiatieven')
    await fac.fill('input[name=coHost]', 'Provincie Overijssel')
    await shot(fac, 'archive-1-home')
    await fac.click('[data-testid=create-cop]')
    await fac.waitForSelector('[data-testid=cop-created]')
    const participantLink = await fac.inputValue('[data-testid=link-participant]')
    const facilitatorCopLink = await fac.inputValue('[data-testid=link-facilitator]')
    // one link for the whole series (issue 11): the CoP link, which leads to the live session
    expect(participantLink).toMatch(/\/cop\/[A-Za-z0-9_-]+#t=[A-Za-z0-9_-]{43}$/)
    expect(facilitatorCopLink).toMatch(/\/cop\/[A-Za-z0-9_-]+#t=[A-Za-z0-9_-]{43}$/)
    await shot(fac, 'archive-2-links')

    // the board: the session is planned -> no end button, a start button with a hint
    await fac.click('[data-testid=open-board]')
    await completeJoin(fac, 'Fenna (procesbegeleider)', 'overig')
    await fac.evaluate(() => (window as any).editor.user.updateUserPreferences({ animationSpeed: 0 }))
    await fac.waitForSelector('[data-testid=facilitator-tools][data-state=planned]')
    expect(await fac.locator('[data-testid=end-session-board]').count()).toBe(0)
    await fac.waitForSelector('[data-testid=session-planned-hint]')
    await shot(fac, 'archive-3-board-planned')
    await fac.click('[data-testid=start-session-board]')
    await fac.waitForSelector('[data-testid=facilitator-tools][data-state=live] [data-testid=end-session-board]')

    // launch the comedy from the gallery
    await fac.click('[data-testid=open-templates]')
    await fac.click('[data-testid=launch-comedy]')
    await fac.waitForFunction(() => (window as any).editor.getCurrentPageShapes().some((s: any) => s.meta?.copboard?.templateId === 'comedy'))
    const comedyPage = await fac.evaluate(() => (window as any).editor.getCurrentPageId())

    // participant joins with the participant link and lands on the template's page
    const pctx = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } })
    pctx.setDefaultTimeout(120_000) // a loaded 2-core machine: a board can take > 30 s to appear
    const prequests = recordRequests(pctx)
    const par = await pctx.newPage()
    par.on('pageerror', (e) => errors.push(e.message))
    // the CoP link leads to the live session's board
    await par.goto(participantLink)
    await par.waitForURL(/\/b\//, { timeout: 120_000 })
    await completeJoin(par, 'Cor', 'initiatief')
    await par.evaluate(() => (window as any).editor.user.updateUserPreferences({ animationSpeed: 0 }))
    expect(await par.locator('[data-testid=open-templates]').count()).toBe(0)
    expect(await par.locator('[data-testid=facilitator-tools]').count()).toBe(0)
    await shot(par, 'archive-4-participant-joined')
    await waitUntil(() => par.evaluate((id) => (window as any).editor.getCurrentPageId() === id, comedyPage), 2000, 'participant on the comedy page')

    // notes with the note tool: act 1 (anonymous) gemeente half, act 2 initiatieven half
    await par.click('[data-testid=step-all]')
    await addNote(par, half('act1', 'Gemeente'), 'Gemeenten denken dat wij niet professioneel zijn')
    await addNote(par, half('act2', 'Initiatieven'), 'Wij brengen draagvlak in de buurt')
    await shot(par, 'archive-4b-participant-notes')
    // the facilitator sees them (2 s budget)
    const act1Text = 'Gemeenten denken dat wij niet professioneel zijn'
    const act2Text = 'Wij brengen draagvlak in de buurt'
    await waitUntil(async () => (await notes(fac)).filter((n) => n.text === act1Text || n.text === act2Text).length === 2, 2000, "the participant's notes at the facilitator")
    // act 1 is anonymous: no author on the board either (meta, tldraw's attribution, perspective colour)
    await waitUntil(async () => (await notes(fac)).find((n) => n.text === act1Text)?.meta.anonymous === true, 2000, 'act 1 note anonymous at the facilitator')
    const n1 = (await notes(fac)).find((n) => n.text === act1Text)!
    expect(n1.meta).toEqual({ anonymous: true })
    expect(n1.color).toBe('yellow')
    expect(await fac.evaluate((id) => (window as any).editor.getShape(id).props.textLastEditedBy, n1.id)).toBeNull()
    expect((await notes(fac)).find((n) => n.text === act2Text)!.meta).toMatchObject({ author: 'Cor', perspective: 'initiatief' })
    await fac.click('[data-testid=step-all]')
    await shot(fac, 'archive-5-board-live')

    // end the session from the board -> the CoP page
    fac.on('dialog', (d) => void d.accept())
    await fac.click('[data-testid=end-session-board]')
    await fac.waitForURL(/\/cop\//, { timeout: 120_000 })
    await fac.waitForSelector('[data-testid=session-1]')
    expect(await fac.textContent('[data-testid=session-1] [data-testid=session-state]')).toBe('Afgelopen')
    await fac.waitForFunction(() => {
      const img = document.querySelector('[data-testid=session-1] [data-testid=session-thumbnail]') as HTMLImageElement | null
      return !!img && img.complete && img.naturalWidth > 0
    })
    await shot(fac, 'archive-6-cop-page')
    // the participant's board turns read-only (ended session): the server drops further edits
    await par.reload()
    // an ended board never turns 'connected' (the server only serves the frozen state): fill the join
    // form when it shows, then wait for the banner itself (completeJoin would wait for 'connected')
    const first = await par.waitForSelector('[data-testid=join-form], [data-testid=readonly-banner]')
    if ((await first.getAttribute('data-testid')) === 'join-form') {
      await par.fill('[data-testid=join-name]', 'Cor')
      if (await par.locator('[data-testid=join-initiatief]').count()) await par.click('label:has([data-testid=join-initiatief])')
      await par.click('[data-testid=join-submit]')
    }
    await par.waitForSelector('[data-testid=readonly-banner]')
    await shot(par, 'archive-7-participant-after-end')

    // open the snapshot read-only on the canvas
    await fac.click('[data-testid=session-1] [data-testid=snapshot-final] [data-testid=view-snapshot]')
    await fac.waitForSelector('[data-testid=snapshot-viewer] .tl-container')
    await fac.waitForFunction(() => document.querySelectorAll('[data-testid=snapshot-viewer] .tl-shape[data-shape-type=note]').length === 2)
    await fac.waitForSelector('[data-testid=snapshot-viewer] [data-testid="tools.select"]')
    expect(await fac.locator('[data-testid=snapshot-viewer] [data-testid="tools.note"]').count()).toBe(0)
    expect(await fac.locator('[data-testid=snapshot-viewer] [data-testid="tools.draw"]').count()).toBe(0)
    await shot(fac, 'archive-8-snapshot-readonly')

    // export the report (Markdown)
    await fac.click('.cb-modal__bar [data-testid=export-menu] summary')
    const [download] = await Promise.all([fac.waitForEvent('download'), fac.click('.cb-modal__bar [data-testid="export-report.md"]')])
    const md = await readFile((await download.path())!, 'utf8')
    const section = (from: string, to: string) => md.slice(md.indexOf(from), md.indexOf(to))
    const act1 = section('Akte 1 — Vooroordelen', 'Akte 2 — Waarden')
    const act2 = section('Akte 2 — Waarden', 'Akte 3 — Opgaven')
    expect(act1).toContain('Gemeenten denken dat wij niet professioneel zijn')
    expect(act1).not.toContain('Cor') // anonymous act
    expect(act2).toContain('Wij brengen draagvlak in de buurt')
    expect(act2).toContain('Cor')
    expect(md.indexOf('Wij brengen draagvlak')).toBeGreaterThan(md.indexOf('Akte 2 — Waarden'))

    expect(frequests.foreign(suite.server.url)).toEqual([])
    expect(prequests.foreign(suite.server.url)).toEqual([])
    expect(errors).toEqual([])
    await pctx.close()
    await fctx.close()
  }, 420_000) // two browsers on a loaded 2-core machine (other e2e runs beside it): a budget, not an assertion
})
