/**
 * §5: doc.getMap('session') (agenda, timer, follow, votes, reveal, akkoord) is the facilitator's.
 * A participant may write only below an entry that a rule gives them: a path pattern whose
 * `PARTICIPANT` element equals the connection's participantId. Features add rules here
 * (one rule per feature, with its own optional check of the written value).
 */
import * as Y from 'yjs'
import { checkOwnDots, checkOwnEndorsement, readRecords, SESSION_KEY, sessionFromJson } from '@copboard/board'
import { noteInVoteScope, toMap, type RecordMap } from '@copboard/templates'
import { OK, refuse, type PolicyContext, type Verdict } from '../context.js'
import type { RecordLimits } from '../limits.js'

/** Pattern element matching the connection's own participantId. */
export const PARTICIPANT = '$participant'
/** Pattern element matching any key. */
export const ANY = '*'

export interface SessionRule {
  /** Shown in tests and refusals. */
  name: string
  /** Path below the session map; the entry a participant owns is the node at the end of it. */
  pattern: readonly string[]
  /** Optional feature check of the owned entry after the update (e.g. at most N dots). */
  check?(args: { ctx: PolicyContext; path: readonly string[]; entry: unknown; doc: Y.Doc }): Verdict
}

const plain = (v: unknown) => (v instanceof Y.AbstractType ? v.toJSON() : v)
const sessionAfter = (doc: Y.Doc) => sessionFromJson(doc.getMap(SESSION_KEY).toJSON())

/**
 * COMMON.md shapes: a participant's own dots under a vote, their own akkoord endorsement, each with
 * its feature rule (board README S6.4/S6.5, judged on the after-view): dots only while the vote is
 * open, at most dotsPerPerson, only on notes in the vote's scope (templates R16); an endorsement
 * names the current version and is never withdrawn.
 */
export const participantOwnedEntries: readonly SessionRule[] = [
  {
    name: 'vote dots',
    pattern: ['votes', ANY, 'dots', PARTICIPANT],
    check({ path, entry, doc }) {
      let records: RecordMap | null = null // read only when a dot must be placed
      const r = checkOwnDots(sessionAfter(doc), path[1]!, plain(entry), (vote, id) => noteInVoteScope((records ??= toMap(readRecords(doc))), vote.scope, id))
      return r ? refuse('vote-rule', `session.${path.join('.')}: ${r.rule} ${r.reason}`) : OK
    },
  },
  {
    name: 'akkoord endorsement',
    pattern: ['akkoord', 'endorsements', PARTICIPANT],
    check({ path, entry, doc }) {
      const r = checkOwnEndorsement(sessionAfter(doc), plain(entry))
      return r ? refuse('endorsement-rule', `session.${path.join('.')}: ${r.rule} ${r.reason}`) : OK
    },
  },
]

function matches(pattern: readonly string[], path: readonly string[], pid: string | null, anyParticipant: boolean): boolean {
  if (path.length < pattern.length) return false
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]
    if (p === ANY) continue
    if (p === PARTICIPANT) {
      if (anyParticipant) continue
      if (pid === null || path[i] !== pid) return false
      continue
    }
    if (path[i] !== p) return false
  }
  return true
}

/** The value at `path` below the session map (after the update), or undefined. */
function entryAt(doc: Y.Doc, path: readonly string[]): unknown {
  let v: unknown = doc.getMap(SESSION_KEY)
  for (const key of path) {
    if (v instanceof Y.Map) v = v.get(key)
    else if (v && typeof v === 'object' && !(v instanceof Y.AbstractType)) v = (v as Record<string, unknown>)[key]
    else return undefined
  }
  return v
}

function jsonSize(v: unknown): number {
  if (v === undefined) return 0
  const plain = v instanceof Y.AbstractType ? v.toJSON() : v
  return JSON.stringify(plain)?.length ?? 0
}

/** §5.1–5.3: may this connection change the session entry at `path`? */
export function checkSessionChange(
  ctx: PolicyContext,
  path: readonly string[],
  doc: Y.Doc,
  rules: readonly SessionRule[],
  limits: RecordLimits,
): Verdict {
  if (ctx.role === 'facilitator') return OK
  if (ctx.role !== 'participant') return refuse('read-only', 'viewer')
  const where = `session.${path.join('.')}`
  for (const rule of rules) {
    if (!matches(rule.pattern, path, ctx.participantId, false)) continue
    const entry = entryAt(doc, path.slice(0, rule.pattern.length))
    const size = jsonSize(entry)
    if (size > limits.maxSessionEntryBytes) return refuse('too-large', `${where}: ${rule.name} of ${size} bytes (max ${limits.maxSessionEntryBytes})`)
    return rule.check ? rule.check({ ctx, path, entry, doc }) : OK
  }
  if (rules.some((r) => matches(r.pattern, path, null, true))) return refuse('not-own-entry', where)
  return refuse('session-facilitator-only', where)
}
