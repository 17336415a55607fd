/**
 * R15: votes and the accord as the facilitation tools keep them in the board's `session` map
 * (COMMON shapes: `session.votes.<voteId>` = { config…, dots: { participantId: shapeId[] } },
 * `session.akkoord` = { versions: [...], endorsements: { participantId: { version, name, at } } }).
 * Read from plain JSON (Y.Map#toJSON) and tolerant: absent or malformed parts are left out,
 * never an error, so older boards and boards without those tools report as before.
 */
import type { ReportAccord, ReportVote } from './types'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)
/** Caps what one board can put in a report (the policy bounds the map; this is a second fence). */
const MAX_VOTES = 50
const MAX_ENTRIES = 500

export function readVotes(session: unknown, notesById: Map<string, string>): ReportVote[] {
  const votes = isObj(session) && isObj(session.votes) ? session.votes : null
  if (!votes) return []
  const out: ReportVote[] = []
  for (const [id, v] of Object.entries(votes).slice(0, MAX_VOTES)) {
    if (!isObj(v)) continue
    const dots = isObj(v.dots) ? v.dots : {}
    const tally = new Map<string, number>()
    let voters = 0
    for (const list of Object.values(dots).slice(0, MAX_ENTRIES)) {
      if (!Array.isArray(list)) continue
      let any = false
      for (const shapeId of list.slice(0, MAX_ENTRIES)) {
        if (typeof shapeId !== 'string') continue
        tally.set(shapeId, (tally.get(shapeId) ?? 0) + 1)
        any = true
      }
      if (any) voters++
    }
    const results = [...tally]
      .map(([shapeId, n]) => ({ shapeId, text: notesById.get(shapeId) ?? '', dots: n }))
      .sort((a, b) => b.dots - a.dots || a.text.localeCompare(b.text, 'nl'))
    out.push({ id, title: str(v.title) ?? str(v.question) ?? str(v.label) ?? '', voters, results })
  }
  return out.filter((v) => v.results.length > 0 || v.title)
}

export function readAccord(session: unknown): ReportAccord | undefined {
  const a = isObj(session) && isObj(session.akkoord) ? session.akkoord : null
  if (!a) return undefined
  const versions = Array.isArray(a.versions) ? a.versions : []
  const last = versions.length ? versions[versions.length - 1] : null
  const statement = str(last) ?? (isObj(last) ? (str(last.text) ?? str(last.statement)) : null) ?? ''
  // a version is numbered by its own field when it has one, else by its index
  const own = isObj(last) ? [last.version, last.n, last.id].find((x) => typeof x === 'number' && Number.isFinite(x)) : undefined
  const version = typeof own === 'number' ? own : Math.max(versions.length - 1, 0)
  const endorsements: ReportAccord['endorsements'] = []
  if (isObj(a.endorsements)) {
    for (const e of Object.values(a.endorsements).slice(0, MAX_ENTRIES)) {
      if (!isObj(e)) continue
      const name = str(e.name)
      if (!name) continue
      const v = typeof e.version === 'number' && Number.isFinite(e.version) ? e.version : null
      endorsements.push({ name, version: v, current: v === null || v === version })
    }
  }
  endorsements.sort((x, y) => x.name.localeCompare(y.name, 'nl'))
  if (!statement && !endorsements.length) return undefined
  return { statement, version, endorsements }
}
