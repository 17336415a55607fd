import { it, expect } from 'vitest'
import { startServer } from './support/server'
import { launchBrowser, shot } from './support/browser'
import { createBoard } from './support/board'
it('smoke: one panel with every facilitator section', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    const board = await createBoard(server.url, 'CoP Warmtetransitie Zwolle')
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    page.setDefaultTimeout(90_000)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(board.facilitator)
    await page.waitForSelector('[data-testid=join-form]')
    await page.fill('[data-testid=join-name]', 'Pieter')
    await page.click('[data-testid=join-submit]')
    await page.waitForSelector('[data-testid=facilitator-panel] [data-testid=section-agenda]')
    await page.click('[data-testid=open-templates]')
    await page.click('[data-testid=launch-comedy]')
    await new Promise((r) => setTimeout(r, 3000))
    expect(await page.locator('[data-testid=facilitator-panel]').count()).toBe(1)
    expect(await page.locator('[data-testid=fsection-private]').count()).toBe(1)
    await shot(page, 'facilitation-merged-panel')
    expect(errors).toEqual([])
  } finally {
    await browser.close()
    await server.dispose()
  }
})
