import type { Rect } from '../types'

/** Shared chrome of every template: title block top-left, agenda column right, body below the title. */
export function chrome(width: number, height: number, agendaWidth = 460) {
  const gap = 40
  const bodyW = width - agendaWidth - gap
  const titleBlock: Rect = { x: 0, y: 0, w: bodyW, h: 170 }
  const agendaBlock: Rect = { x: width - agendaWidth, y: 0, w: agendaWidth, h: height }
  const body: Rect = { x: 0, y: 170 + gap, w: bodyW, h: height - 170 - gap }
  return { titleBlock, agendaBlock, body, gap }
}

/** Split a length into n parts with a gap between them. */
export function split(start: number, length: number, n: number, gap: number): { start: number; size: number }[] {
  const size = (length - gap * (n - 1)) / n
  return Array.from({ length: n }, (_, i) => ({ start: start + i * (size + gap), size }))
}
