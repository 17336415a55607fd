/**
 * The fixture every e2e file shares: one BUILT server and one chromium for the whole file (tests
 * open their own browser contexts), and optionally one board made on that server.
 * `useBoardServer()` registers the beforeAll/afterAll; read the fields inside tests and hooks.
 */
import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { startServer, type TestServer } from './server'
import { launchBrowser } from './browser'
import { createBoard, type BoardLinks } from './board'

export interface BoardServer {
  readonly server: TestServer
  readonly browser: Browser
  /** the board made in beforeAll (only when a board name was given) */
  readonly board: BoardLinks
}

/** `boardName`: make one board (a CoP) with that name once the server runs. */
export function useBoardServer(boardName?: string): BoardServer {
  let server: TestServer | undefined
  let browser: Browser | undefined
  let board: BoardLinks | undefined
  beforeAll(async () => {
    // the server and the browser start side by side (both are slow on a loaded machine); wait for
    // both, so that afterAll stops whichever did start when the other failed
    const started = await Promise.allSettled([startServer().then((s) => (server = s)), launchBrowser().then((b) => (browser = b))])
    for (const r of started) if (r.status === 'rejected') throw r.reason
    if (boardName) board = await createBoard(server!.url, boardName)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.dispose()
  })
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useBoardServer: ${what} is not there (read it inside a test or hook${what === 'board' ? ', and pass a board name' : ''})`)
    return value
  }
  return {
    get server() {
      return ready(server, 'server')
    },
    get browser() {
      return ready(browser, 'browser')
    },
    get board() {
      return ready(board, 'board')
    },
  }
}
