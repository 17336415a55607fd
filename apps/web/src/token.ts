/**
 * Tokens out of visible URLs. A link carries its token in the fragment (`#t=<token>`, never sent
 * to any server). Before anything renders, `captureToken()` reads it, keeps it for this tab
 * (sessionStorage) and for returning visits (localStorage), both keyed by the page's path, and
 * removes it from the address bar (history.replaceState): screenshots, screen shares, copied
 * URLs, and any URL a library reports (tldraw's licence check sends `location.href` to its CDN)
 * no longer contain it. Pages ask `pageToken()`.
 */

const KEY = (path: string) => `copboard.token:${path}`

/** The token of a link's fragment (`#t=<token>`, also `#…&t=<token>`); null when absent or malformed. */
export function tokenFromFragment(hash: string): string | null {
  const m = /(?:^#|&)t=([^&]+)/.exec(hash)
  if (!m) return null
  try {
    return decodeURIComponent(m[1])
  } catch {
    return null // a broken %-escape: no token rather than a crashed page
  }
}

/** The fragment without its `t=` parameter ('' when nothing else is left). */
export function fragmentWithoutToken(hash: string): string {
  const rest = hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p && !p.startsWith('t='))
  return rest.length ? `#${rest.join('&')}` : ''
}

function store(path: string, token: string) {
  for (const s of [sessionStorage, localStorage]) {
    try {
      s.setItem(KEY(path), token)
    } catch {
      /* private mode / storage full: the token lives for this page only */
    }
  }
}

let pageTokens = new Map<string, string>()

/** Reads a token from the address bar, keeps it, and removes it from the visible URL. */
export function captureToken(): void {
  if (typeof location === 'undefined') return
  const token = tokenFromFragment(location.hash)
  if (!token) return
  const path = location.pathname.replace(/\/+$/, '') || '/'
  pageTokens.set(path, token)
  store(path, token)
  history.replaceState(history.state, '', location.pathname + location.search + fragmentWithoutToken(location.hash))
}

/** The token for `path` (default: this page): this load's link, else this tab's, else a previous visit's. */
export function pageToken(path: string = typeof location === 'undefined' ? '' : location.pathname): string | null {
  const p = path.replace(/\/+$/, '') || '/'
  const fromLoad = pageTokens.get(p)
  if (fromLoad) return fromLoad
  for (const s of [() => sessionStorage, () => localStorage]) {
    try {
      const v = s().getItem(KEY(p))
      if (v) return v
    } catch {
      /* storage unavailable */
    }
  }
  return null
}

/** Forgets the token of `path` (e.g. the server said it was revoked). */
export function forgetToken(path: string): void {
  const p = path.replace(/\/+$/, '') || '/'
  pageTokens.delete(p)
  for (const s of [() => sessionStorage, () => localStorage]) {
    try {
      s().removeItem(KEY(p))
    } catch {
      /* storage unavailable */
    }
  }
}

/** Test seam. */
export function resetTokensForTest(): void {
  pageTokens = new Map()
}
