/**
 * Server rules for the session map (README rule S6), pure: the policy runs them on the session JSON
 * before and after an update (`doc.getMap('session').toJSON()`), with the writer's role and
 * participantId. A refused update is neither stored nor broadcast.
 *
 *  S6.1 viewers write nothing under `session`.
 *  S6.2 the facilitator writes anything, but what they write must be well-formed (timer, agenda,
 *       follow, vote config) and akkoord versions are append-only history; they cannot place dots or endorse in someone else's name either —
 *       dots and endorsements are the participant's own (a facilitator may clear a vote by deleting it).
 *  S6.3 a participant changes only `votes.<id>.dots.<own participantId>` and
 *       `akkoord.endorsements.<own participantId>`; everything else is facilitator-only.
 *  S6.4 dots: the vote is open, at most dotsPerPerson, only on notes in the vote's scope.
 *  S6.5 endorsement: of the current version only, once per version, never withdrawn.
 */
import { checkEndorsement, isEndorsement } from './akkoord.js'
import { sessionFromJson } from './doc.js'
import { isAgendaState } from './agenda.js'
import { isFollowState } from './follow.js'
import { isTimerState } from './timer.js'
import { checkDots, isVoteConfig } from './votes.js'
import { MAX_STATEMENT, type VoteState } from './types.js'

export type SessionRole = 'facilitator' | 'participant' | 'viewer'

export interface SessionActor {
  role: SessionRole
  /** From the connection (derived by the server from the client's secret); null when unknown. */
  participantId: string | null
}

export interface SessionRuleContext {
  /** Is this shape a note inside the vote's scope (zone or page), in the board AFTER the update? */
  noteInScope(vote: VoteState, shapeId: string): boolean
}

export interface SessionRefusal {
  rule: string
  reason: string
}

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const obj = (v: unknown): Json => (isObj(v) ? v : {})

/** null = allowed. */
export function checkSessionUpdate(beforeRaw: unknown, afterRaw: unknown, actor: SessionActor, ctx: SessionRuleContext): SessionRefusal | null {
  const before = obj(beforeRaw)
  const after = obj(afterRaw)
  if (same(before, after)) return null
  if (actor.role === 'viewer') return { rule: 'S6.1', reason: 'viewers cannot change the session' }

  const ownedChanges = ownedEntryChanges(before, after)
  if (actor.role === 'facilitator') {
    for (const key of ['timer', 'agenda', 'follow'] as const) {
      if (!same(before[key], after[key]) && after[key] !== undefined) {
        const ok = key === 'timer' ? isTimerState(after[key]) : key === 'agenda' ? isAgendaState(after[key]) : isFollowState(after[key])
        if (!ok) return { rule: 'S6.2', reason: `malformed session.${key}` }
      }
    }
    for (const [id, v] of Object.entries(obj(after.votes))) {
      if (!same(obj(before.votes)[id], v) && !isVoteConfig(v)) return { rule: 'S6.2', reason: `malformed vote ${id}` }
    }
    // versions are history: append only, each numbered by its position, text bounded
    const vb = Array.isArray(obj(before.akkoord).versions) ? (obj(before.akkoord).versions as unknown[]) : []
    const va = Array.isArray(obj(after.akkoord).versions) ? (obj(after.akkoord).versions as unknown[]) : []
    if (!same(vb, va)) {
      if (va.length < vb.length || !same(va.slice(0, vb.length), vb)) return { rule: 'S6.2', reason: 'akkoord versions are append-only' }
      for (const [i, v] of va.slice(vb.length).entries()) {
        const o = obj(v)
        if (o.version !== vb.length + i + 1 || typeof o.text !== 'string' || o.text.length > MAX_STATEMENT || typeof o.at !== 'number' || typeof o.by !== 'string') {
          return { rule: 'S6.2', reason: 'malformed akkoord version' }
        }
      }
    }
    // the facilitator's own dots/endorsements follow the participant rules below; others' they may only delete
    for (const c of ownedChanges) {
      if (c.after === undefined) continue
      if (c.participantId !== actor.participantId) return { rule: 'S6.2', reason: `cannot write ${c.kind} of another participant` }
    }
  } else {
    // participant: everything except their own entries must be unchanged
    if (!same(stripOwned(before, actor.participantId), stripOwned(after, actor.participantId))) {
      return { rule: 'S6.3', reason: 'session state is facilitator-only' }
    }
    if (!actor.participantId && ownedChanges.length) return { rule: 'S6.3', reason: 'no participant identity on this connection' }
  }

  const parsedBefore = sessionFromJson(before)
  const parsedAfter = sessionFromJson(after)
  for (const c of ownedChanges) {
    if (c.participantId !== actor.participantId) continue // facilitator deleting others' entries (checked above)
    if (c.kind === 'dots') {
      const vote = parsedAfter.votes[c.voteId!]
      const beforeVote = parsedBefore.votes[c.voteId!]
      if (!vote || !beforeVote) return { rule: 'S6.4', reason: 'no such vote' }
      if (c.after !== undefined && !(Array.isArray(c.after) && c.after.every((x) => typeof x === 'string'))) return { rule: 'S6.4', reason: 'malformed dots' }
      const list = (c.after as string[] | undefined) ?? []
      // dots already placed stay valid when their note moves out of scope (they can be taken back)
      const had = new Set(Array.isArray(c.before) ? (c.before as string[]) : [])
      const err = checkDots(beforeVote, list, (id) => had.has(id) || ctx.noteInScope(vote, id))
      if (err) return { rule: 'S6.4', reason: err }
    } else {
      if (c.after === undefined) return { rule: 'S6.5', reason: 'an endorsement cannot be withdrawn' }
      if (!isEndorsement(c.after)) return { rule: 'S6.5', reason: 'malformed endorsement' }
      const err = checkEndorsement(parsedBefore.akkoord, parsedBefore.akkoord?.endorsements[c.participantId], c.after)
      if (err) return { rule: 'S6.5', reason: err }
    }
  }
  return null
}

interface OwnedChange {
  kind: 'dots' | 'endorsement'
  voteId?: string
  participantId: string
  before: unknown
  after: unknown
}

function ownedEntryChanges(before: Json, after: Json): OwnedChange[] {
  const out: OwnedChange[] = []
  const voteIds = new Set([...Object.keys(obj(before.votes)), ...Object.keys(obj(after.votes))])
  for (const id of voteIds) {
    const b = obj(obj(obj(before.votes)[id]).dots)
    const a = obj(obj(obj(after.votes)[id]).dots)
    if (!isObj(obj(after.votes)[id])) continue // the whole vote deleted: facilitator rules
    for (const pid of new Set([...Object.keys(b), ...Object.keys(a)])) if (!same(b[pid], a[pid])) out.push({ kind: 'dots', voteId: id, participantId: pid, before: b[pid], after: a[pid] })
  }
  const eb = obj(obj(before.akkoord).endorsements)
  const ea = obj(obj(after.akkoord).endorsements)
  for (const pid of new Set([...Object.keys(eb), ...Object.keys(ea)])) if (!same(eb[pid], ea[pid])) out.push({ kind: 'endorsement', participantId: pid, before: eb[pid], after: ea[pid] })
  return out
}

/** The session JSON without this participant's own entries (what they may not change). */
function stripOwned(s: Json, participantId: string | null): Json {
  if (!participantId) return s
  const copy = JSON.parse(JSON.stringify(s)) as Json
  for (const v of Object.values(obj(copy.votes))) {
    const dots = obj(obj(v).dots)
    delete dots[participantId]
    // an empty dots map and a missing one are the same to the rule
    if (isObj(v) && isObj(v.dots) && !Object.keys(v.dots).length) delete v.dots
  }
  const a = obj(copy.akkoord)
  if (isObj(a.endorsements)) {
    delete a.endorsements[participantId]
    if (!Object.keys(a.endorsements).length) delete a.endorsements
  }
  return copy
}
