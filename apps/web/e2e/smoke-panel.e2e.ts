import { it, expect } from 'vitest'
import { useBoardServer } from './support/suite'
import { shot } from './support/browser'

const suite = useBoardServer('CoP Warmtetransitie Zwolle')

it('smoke: one panel with every facilitator section', async () => {
  const page = await (await suite.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
  page.setDefaultTimeout(90_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(suite.board.facilitator)
  await page.waitForSelector('[data-testid=join-form]')
  await page.fill('[data-testid=join-name]', 'Pieter')
  await page.click('[data-testid=join-submit]')
  await page.waitForSelector('[data-testid=facilitator-panel] [data-testid=section-agenda]')
  await page.click('[data-testid=open-templates]')
  await page.click('[data-testid=launch-comedy]')
  // the launch is done when the gallery closes and the comedy's private-writing section shows
  await page.waitForSelector('[data-testid=template-gallery]', { state: 'detached' })
  await page.waitForSelector('[data-testid=fsection-private]')
  expect(await page.locator('[data-testid=facilitator-panel]').count()).toBe(1)
  expect(await page.locator('[data-testid=fsection-private]').count()).toBe(1)
  await shot(page, 'facilitation-merged-panel')
  expect(errors).toEqual([])
})
