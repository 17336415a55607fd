/**
 * Where the text labels of compare marks go (page coordinates), so marks that lie on top of each
 * other stay readable: a label never covers another label, and it avoids the other marks, the
 * notes on the board and the zone texts where it can. Marks of the board as it is now (new,
 * changed) are placed first; a removed note's label takes what is left.
 */

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export interface LabelRequest {
  id: string
  /** the mark's outline, page coordinates */
  box: Box
  /** the label's size, page units */
  size: { w: number; h: number }
  /** gap between outline and label, page units */
  gap: number
}

/** What a label should not cover: marks and notes weigh more than zone texts. */
export interface Obstacles {
  /** the marks' outlines and the notes on the board, by id (a label may lie on its own mark and note) */
  marks: (Box & { id?: string })[]
  /** texts of the board (zone headings and prompts, lane descriptions) */
  texts: Box[]
}

const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))
/** Two boxes share some area (touching edges do not). */
export const overlaps = (a: Box, b: Box): boolean => overlap(a, b) > 0

/**
 * Candidate spots around a mark with what each costs by itself (a label far from its mark reads
 * as someone else's): above it (left, right), below, beside, inside, then higher up.
 */
function candidates({ box: b, size: { w, h }, gap }: LabelRequest): { spot: Box; cost: number }[] {
  const above = b.y - gap - h
  const left = b.x - gap
  const right = b.x + b.w - w + gap
  const spots: [number, number, number][] = [
    [left, above, 0],
    [right, above, 0.05],
    [left, b.y + b.h + gap, 0.1],
    [right, b.y + b.h + gap, 0.15],
    [b.x - w - gap, b.y, 0.1],
    [b.x + b.w + gap, b.y, 0.15],
    [b.x + gap, b.y + gap, 0.2],
  ]
  for (let k = 1; k <= 3; k++) spots.push([left, above - k * (h + gap), 0.5 * k], [right, above - k * (h + gap), 0.5 * k + 0.05])
  return spots.map(([x, y, cost]) => ({ spot: { x, y, w, h }, cost }))
}

/**
 * Label positions (top-left, page coordinates) for `requests` in order. Costs, as parts of the
 * label's area: covering a placed label 1000, another mark or a note 10, its own mark 4 (its
 * text), a zone text 1; plus the spot's own cost. The cheapest spot wins.
 */
export function placeLabels(requests: LabelRequest[], obstacles: Obstacles): Map<string, Box> {
  const placed: Box[] = []
  const out = new Map<string, Box>()
  for (const r of requests) {
    const area = r.size.w * r.size.h
    let best: Box | null = null
    let bestCost = Infinity
    for (const { spot, cost: own } of candidates(r)) {
      let cost = own + (4 * overlap(spot, r.box)) / area
      for (const p of placed) cost += (1000 * overlap(spot, p)) / area
      for (const m of obstacles.marks) if (m.id !== r.id) cost += (10 * overlap(spot, m)) / area
      for (const t of obstacles.texts) cost += overlap(spot, t) / area
      if (cost < bestCost) [best, bestCost] = [spot, cost]
    }
    placed.push(best!)
    out.set(r.id, best!)
  }
  return out
}
