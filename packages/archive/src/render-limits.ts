/** Bounds of the server-side renderer (SPEC rule A3): what one board can cost to draw. */
export interface RenderLimits {
  /** shapes drawn per page; the rest are counted as omitted */
  maxShapes: number
  /** points per polyline (lines, draw segments): longer strokes are sampled evenly */
  maxPointsPerStroke: number
  /** characters of one shape's text */
  maxTextChars: number
  /** characters of SVG output per render; shapes beyond it are omitted */
  maxSvgChars: number
}

export const RENDER_LIMITS: RenderLimits = {
  maxShapes: 5000,
  maxPointsPerStroke: 2000,
  maxTextChars: 2000,
  maxSvgChars: 12 * 1024 * 1024,
}

/** At most `max` points, evenly spaced, first and last kept. */
export function sample<P>(pts: readonly P[], max: number): P[] {
  if (pts.length <= max) return pts as P[]
  const out: P[] = []
  const step = (pts.length - 1) / (max - 1)
  for (let i = 0; i < max; i++) out.push(pts[Math.round(i * step)])
  return out
}
