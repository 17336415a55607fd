/**
 * Opening a board (issue 12): what the board waits for is asked at start-up, beside the download
 * of the board's scripts (~2 MB) instead of after them: the access check (/api/me), the client
 * config, and the notes' font (tldraw paints no shape until the fonts of the page's shapes have
 * loaded; the preloaded file is the one tldraw's FontFace then loads, from the memory cache).
 * A board this browser never cached also opens its socket now (earlySocket.ts): the server's
 * state (1.7 MB for 2,000 notes) arrives and is read while the board's scripts still load.
 */
import noteFont from '@tldraw/assets/fonts/Shantell_Sans-Informal_Regular.woff2?url'
import { pageToken } from '../token'
import { loadConfig } from '../config'
import { askAccessEarly, roomFromPath } from './role'
import { cacheMarked } from './cacheMark'

export function prepareBoardOpening(): void {
  const room = roomFromPath()
  if (!room) return
  const link = document.createElement('link')
  link.rel = 'preload'
  link.as = 'font'
  link.type = 'font/woff2'
  link.crossOrigin = 'anonymous' // fonts are fetched in CORS mode: only a matching preload is reused
  link.href = noteFont
  document.head.append(link)
  const token = pageToken()
  if (token) askAccessEarly(room, token)
  // (a cached board connects once its cache is in, to be sent only what it lacks: sync.ts)
  if (!cacheMarked(room)) void import('./earlySocket').then((m) => m.openEarlySocket(room, token)).catch(() => {})
  void loadConfig()
}
