import { describe, expect, it } from 'vitest'
import { Landing, type PageView } from '../../src'

const view = (pageId: string): PageView => ({ pageId, x: 0, y: 0, w: 1000, h: 600 })

function setup() {
  const s = { page: 'page:first', presence: null as PageView | null, stored: view('page:stored') as PageView | null, lands: [] as string[] }
  const landing = new Landing({
    presenceView: () => s.presence,
    storedView: () => s.stored,
    land: (v) => {
      s.page = v.pageId
      s.lands.push(v.pageId)
      return true
    },
    currentPage: () => s.page,
  })
  return { s, landing }
}

describe('a late joiner lands (board SPEC S3)', () => {
  it("on the facilitator's presence, once: it is final", () => {
    const { s, landing } = setup()
    s.presence = view('page:fac')
    expect(landing.tryLand()).toBe(true)
    s.presence = view('page:elsewhere')
    expect(landing.tryLand()).toBe(false)
    expect(s.lands).toEqual(['page:fac'])
    expect(landing.done).toBe(true)
  })

  it('on the stored view only once allowed, and the presence wins when it comes', () => {
    const { s, landing } = setup()
    expect(landing.tryLand()).toBe(false) // greeting not in yet
    expect(landing.useStoredView()).toBe(true)
    s.presence = view('page:fac')
    expect(landing.tryLand()).toBe(true)
    expect(s.lands).toEqual(['page:stored', 'page:fac'])
  })

  it('not pulled back after they went to another page themselves (a presence arriving late)', () => {
    const { s, landing } = setup()
    landing.useStoredView()
    s.page = 'page:mine' // the participant (or a template launch) switched page
    s.presence = view('page:fac')
    expect(landing.tryLand()).toBe(false)
    expect(s.page).toBe('page:mine')
    expect(landing.done).toBe(true)
  })

  it('nothing after the window closed', () => {
    const { s, landing } = setup()
    landing.end()
    s.presence = view('page:fac')
    expect(landing.tryLand()).toBe(false)
    expect(landing.useStoredView()).toBe(false)
    expect(s.lands).toEqual([])
  })
})
