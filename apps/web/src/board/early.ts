/**
 * Opening a board (issue 12): what the board waits for is asked at start-up, beside the download
 * of the board's scripts (~2 MB) instead of after them: the access check (/api/me), the client
 * config, on a first visit the board's state (earlyState.ts), and the notes' font (tldraw
 * paints no shape until the fonts of the page's shapes have loaded; the preloaded file is the one
 * tldraw's FontFace then loads, from the memory cache).
 */
import noteFont from '@tldraw/assets/fonts/Shantell_Sans-Informal_Regular.woff2?url'
import { pageToken } from '../token'
import { loadConfig } from '../config'
import { askAccessEarly, roomFromPath } from './role'
import { cacheMarked } from './cacheMark'
import { readStateEarly } from './earlyState'

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
  // a board this browser never cached: its state now, not after the scripts (earlyState.ts)
  if (token && !cacheMarked(room)) readStateEarly(room, token)
  void loadConfig()
}
