/**
 * The demo CoP's compare view on the board: a fresh demo link (POST /api/demo), its default
 * comparison (the last two sessions) run and shown, until the marks are on the canvas.
 */
import type { Browser, Page } from 'playwright-core'

export async function openDemoCompare(browser: Browser, serverUrl: string, options: { deviceScaleFactor?: number } = {}): Promise<Page> {
  const demo = (await (await fetch(`${serverUrl}/api/demo`, { method: 'POST' })).json()) as { link: string }
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options })
  ctx.setDefaultTimeout(120_000)
  const page = await ctx.newPage()
  await page.goto(new URL(demo.link, serverUrl).toString())
  await page.waitForSelector('[data-testid=compare-panel]')
  await page.click('[data-testid=compare-run]')
  await page.waitForSelector('[data-testid=compare-show]')
  await page.click('[data-testid=compare-show]')
  await page.waitForSelector('[data-testid=snapshot-viewer] .tl-container')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-highlights] [data-kind]').length > 0, undefined, { timeout: 120_000 })
  await page.waitForTimeout(300)
  return page
}
