/**
 * Board helpers for e2e: `createBoard()` is the ONE place that knows how a board is made (a CoP via
 * POST /api/cops, whose first session's room is the board; falls back to a random room on a server
 * without the API). Page helpers join a board and read it through `window.editor`.
 */
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'

export interface BoardLinks {
  room: string
  /** absolute URLs with the token in the fragment */
  participant: string
  facilitator: string
  viewer: string
  copId: string | null
}

export async function createBoard(base: string, name = 'CoP e2e'): Promise<BoardLinks> {
  const res = await fetch(`${base}/api/cops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
  if (res.status === 404) {
    const room = randomBytes(16).toString('base64url')
    const url = `${base}/b/${room}`
    return { room, participant: url, facilitator: url, viewer: url, copId: null }
  }
  if (!res.ok) throw new Error(`POST /api/cops: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { cop: { id: string }; session: { room: string }; boardLinks: { facilitator: string; participant: string; viewer: string } }
  return { room: body.session.room, copId: body.cop.id, ...body.boardLinks }
}

/** Opens a board link, fills the join form when it shows, waits until the board is live. */
export async function joinBoard(page: Page, link: string, name: string, perspective: 'gemeente' | 'initiatief' | 'overig' = 'gemeente') {
  await page.goto(link)
  await completeJoin(page, name, perspective)
}

/** On a board page being opened (e.g. after clicking a link): fills the join form when it shows, waits until the board is live. */
export async function completeJoin(page: Page, name: string, perspective: 'gemeente' | 'initiatief' | 'overig' = 'gemeente') {
  const first = await page.waitForSelector('[data-testid=join-form], [data-testid=board]')
  if ((await first.getAttribute('data-testid')) === 'join-form') {
    await page.fill('[data-testid=join-name]', name)
    // the facilitator (procesbegeleider) joins without a perspective
    if (await page.locator(`[data-testid=join-${perspective}]`).count()) await page.click(`label:has([data-testid=join-${perspective}])`)
    await page.click('[data-testid=join-submit]')
  }
  await boardLive(page)
}

export async function boardLive(page: Page) {
  await page.waitForSelector('[data-testid=board]')
  await page.waitForFunction(() => !!(window as any).editor)
  await page.waitForSelector('[data-testid=connection-state][data-state=connected]')
}

/** Notes on the current page: id, text, colour, meta. */
export function notes(page: Page) {
  return page.evaluate(() => {
    const editor = (window as any).editor
    const text = (n: any): string => (n?.type === 'text' ? n.text : (n?.content ?? []).map(text).join(n?.type === 'doc' ? '\n' : ''))
    return editor
      .getCurrentPageShapes()
      .filter((s: any) => s.type === 'note')
      .map((s: any) => ({ id: s.id as string, text: text(s.props.richText), color: s.props.color as string, meta: s.meta as Record<string, unknown>, x: s.x as number, y: s.y as number }))
  }) as Promise<{ id: string; text: string; color: string; meta: Record<string, unknown>; x: number; y: number }[]>
}

export function connectionState(page: Page) {
  return page.getAttribute('[data-testid=connection-state]', 'data-state')
}

/** What a page holds, for a failure message: connection state, a shown refusal and every note (text, page). */
export function boardDiagnosis(page: Page): Promise<string> {
  return page
    .evaluate(() => {
      const editor = (window as any).editor
      const text = (n: any): string => (n?.type === 'text' ? n.text : (n?.content ?? []).map(text).join(''))
      const notes = editor
        ? [...editor.store.allRecords()].filter((r: any) => r.type === 'note').map((r: any) => `${editor.getAncestorPageId(r)}:${JSON.stringify(text(r.props.richText))}`)
        : []
      const attr = (sel: string, a: string) => document.querySelector(sel)?.getAttribute(a) ?? null
      return JSON.stringify({
        url: location.pathname,
        connection: attr('[data-testid=connection-state]', 'data-state'),
        refusal: attr('[data-testid=policy-notice]', 'data-reason'),
        page: editor?.getCurrentPageId() ?? null,
        editing: editor?.getEditingShapeId() ?? null,
        notes,
      })
    })
    .catch((e) => `(page unreadable: ${String(e)})`)
}
