/** Debian's chromium driven by playwright-core (never downloads a browser). */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url))
mkdirSync(ARTIFACTS, { recursive: true })

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/** Records every request a context makes; `foreign(base)` lists those to another host. */
export function recordRequests(ctx: BrowserContext) {
  const urls: string[] = []
  ctx.on('request', (r) => urls.push(r.url()))
  return {
    urls,
    foreign(base: string) {
      const host = new URL(base).host
      return urls.filter((u) => {
        if (/^(data|blob|about|chrome-extension):/.test(u)) return false
        try {
          return new URL(u).host !== host
        } catch {
          return true
        }
      })
    },
  }
}

export function shot(page: Page, name: string) {
  return page.screenshot({ path: `${ARTIFACTS}${name}.png` })
}

/** Polls `fn` until it returns a truthy value or `ms` passes (then throws with `what`). */
export async function waitUntil<T>(fn: () => Promise<T> | T, ms: number, what: string, every = 25): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, every))
  }
}
