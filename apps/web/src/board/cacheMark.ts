/**
 * Whether this browser has a cache of a board (its IndexedDB opened here before): localStorage
 * answers at once, IndexedDB itself takes ~0.5 s to start (render bench), even to list its
 * databases. A first visit reads the board's state early (earlyState.ts) instead of waiting.
 */
const cacheMark = (room: string) => `copboard:cached:${room}`

export function cacheMarked(room: string): boolean {
  try {
    return localStorage.getItem(cacheMark(room)) === '1'
  } catch {
    return true // cannot tell: wait for the cache as before
  }
}

export function markCached(room: string): void {
  try {
    localStorage.setItem(cacheMark(room), '1')
  } catch {
    // storage full or blocked: the next visit waits for the cache, as before
  }
}
