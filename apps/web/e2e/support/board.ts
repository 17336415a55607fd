/**
 * Board helpers for e2e: `createBoard()` is the ONE place that knows how a board is made (a CoP via
 * POST /api/cops, whose first session's room is the board; falls back to a random room on a server
 * without the API). Page helpers join a board and read it through `window.editor`.
 */
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { waitUntil } from './browser'

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
  const unanswered = new Promise<string>((resolve) => setTimeout(() => resolve('(page did not answer within 5 s)'), 5000).unref())
  const read = page
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
  return Promise.race([read, unanswered])
}

/** Page point → the client point the mouse clicks (tldraw's "screen" space: the canvas sits below the header). */
export function pageToClient(page: Page, at: { x: number; y: number }) {
  return page.evaluate((pt) => (window as any).editor.pageToScreen(pt), at) as Promise<{ x: number; y: number }>
}

/**
 * Creates a note with the note tool at a page point and waits until its text editor has the
 * keyboard (tldraw focuses it as editing starts; the wait makes sure no key goes elsewhere).
 * Returns the note's id.
 */
export async function startNote(page: Page, at: { x: number; y: number }): Promise<string> {
  const p = await pageToClient(page, at)
  await page.keyboard.press('n')
  await page.mouse.click(p.x, p.y)
  const id = (await (await page.waitForFunction(() => (window as any).editor.getEditingShapeId())).jsonValue()) as string
  await textFocused(page)
  return id
}

/** Waits until the text editor of the shape being edited has the keyboard (keys before that are lost). */
export async function textFocused(page: Page, id?: string): Promise<void> {
  await page.waitForFunction((id) => {
    const editing = (window as any).editor.getEditingShapeId()
    return !!editing && (!id || editing === id) && !!document.activeElement?.matches('[data-testid=rich-text-area] .ProseMirror')
  }, id)
}

/** A new note at a page point with one line of `text` (the check compares the text without line breaks), left (not editing any more); returns its id. */
export async function addNote(page: Page, at: { x: number; y: number }, text: string): Promise<string> {
  const id = await startNote(page, at)
  await page.keyboard.type(text)
  // every key reached the note (a lost one would surface much later as a note that never "arrives")
  const held = () => page.evaluate(() => (window as any).editor.getRichTextEditor()?.state.doc.textContent as string | undefined)
  await waitUntil(async () => (await held()) === text, 10_000, `the note to hold what was typed, ${JSON.stringify(text)}`).catch(async (e) => {
    throw new Error(`${e.message}; it holds ${JSON.stringify(await held())}`)
  })
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => !(window as any).editor.getEditingShapeId())
  return id
}
