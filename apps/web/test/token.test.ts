/** Tokens out of visible URLs (issue 14): captureToken/pageToken with a minimal browser stand-in. */
import { beforeEach, describe, expect, it } from 'vitest'
import { captureToken, forgetToken, fragmentWithoutToken, pageToken, resetTokensForTest } from '../src/token'

class MemStorage {
  m = new Map<string, string>()
  getItem(k: string) {
    return this.m.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.m.set(k, v)
  }
  removeItem(k: string) {
    this.m.delete(k)
  }
}

function browser(url: string) {
  const u = new URL(url)
  const loc = { pathname: u.pathname, search: u.search, hash: u.hash }
  const replaced: string[] = []
  Object.assign(globalThis, {
    location: loc,
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, to: string) => {
        replaced.push(to)
        const n = new URL(to, 'https://x')
        Object.assign(loc, { pathname: n.pathname, search: n.search, hash: n.hash })
      },
    },
    sessionStorage: new MemStorage(),
    localStorage: new MemStorage(),
  })
  return { loc, replaced }
}

describe('tokens leave the address bar', () => {
  beforeEach(() => resetTokensForTest())

  it('captureToken removes t= from the URL and keeps it for the tab and returning visits', () => {
    const { loc, replaced } = browser('https://bord.gemeente.nl/b/room1#t=SECRET123')
    captureToken()
    expect(replaced).toEqual(['/b/room1'])
    expect(loc.hash).toBe('')
    expect(pageToken()).toBe('SECRET123')
    expect((globalThis as any).sessionStorage.getItem('copboard.token:/b/room1')).toBe('SECRET123')
    expect((globalThis as any).localStorage.getItem('copboard.token:/b/room1')).toBe('SECRET123')
    // another page of the same browser: its own token only
    expect(pageToken('/b/other')).toBeNull()
  })

  it('a reload without the fragment still finds the token; other fragment parameters stay', () => {
    browser('https://bord.gemeente.nl/cop/c1#x=1&t=ABC')
    captureToken()
    expect((globalThis as any).location.hash).toBe('#x=1')
    resetTokensForTest() // a new page load
    expect(pageToken('/cop/c1')).toBe('ABC')
    forgetToken('/cop/c1')
    expect(pageToken('/cop/c1')).toBeNull()
    expect(fragmentWithoutToken('#t=a&y=2')).toBe('#y=2')
  })

  it('a URL without a token is left alone', () => {
    const { replaced } = browser('https://bord.gemeente.nl/b/room1')
    captureToken()
    expect(replaced).toEqual([])
    expect(pageToken()).toBeNull()
  })
})
