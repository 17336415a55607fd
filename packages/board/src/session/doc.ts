/**
 * The session state in the Y.Doc (README rule S0): `doc.getMap('session')` with nested Y.Maps under the
 * keys of SESSION_KEYS. Reading validates (a malformed entry reads as absent, never throws);
 * writing goes through `SessionWriter`, one Y transaction per action.
 */
import * as Y from 'yjs'
import { SESSION_KEY } from '../layout.js'
import { isAgendaState } from './agenda.js'
import { isEndorsement } from './akkoord.js'
import { isFollowState } from './follow.js'
import { isTimerState } from './timer.js'
import { isVoteConfig } from './votes.js'
import type { AgendaState, AkkoordState, AkkoordVersion, Endorsement, FollowState, SessionState, TimerState, VoteState } from './types.js'


const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** Plain JSON of the session map, validated field by field. */
export function readSession(doc: Y.Doc): SessionState {
  return sessionFromJson(doc.getMap(SESSION_KEY).toJSON())
}

export function sessionFromJson(raw: unknown): SessionState {
  const s = isObj(raw) ? raw : {}
  const votes: Record<string, VoteState> = {}
  if (isObj(s.votes)) {
    for (const [id, v] of Object.entries(s.votes)) {
      if (!isVoteConfig(v)) continue
      const o = v as Record<string, unknown>
      const dots: Record<string, string[]> = {}
      if (isObj(o.dots)) for (const [pid, list] of Object.entries(o.dots)) if (Array.isArray(list)) dots[pid] = list.filter((x): x is string => typeof x === 'string')
      votes[id] = { ...(o as unknown as VoteState), id, closedAt: (o.closedAt as number | null | undefined) ?? null, resultsShown: o.resultsShown !== false, dots }
    }
  }
  let akkoord: AkkoordState | null = null
  if (isObj(s.akkoord)) {
    const versions = Array.isArray(s.akkoord.versions)
      ? (s.akkoord.versions as unknown[])
          .filter((v): v is AkkoordVersion => isObj(v) && typeof v.text === 'string' && typeof v.at === 'number' && typeof v.by === 'string')
          .map((v, i) => ({ ...v, version: i + 1 }))
      : []
    const endorsements: Record<string, Endorsement> = {}
    if (isObj(s.akkoord.endorsements)) for (const [pid, e] of Object.entries(s.akkoord.endorsements)) if (isEndorsement(e)) endorsements[pid] = e
    akkoord = { versions, endorsements }
  }
  const follow = isFollowState(s.follow) ? ({ ...s.follow, view: s.follow.view ?? null, leaderClientId: s.follow.leaderClientId ?? null } as FollowState) : null
  return {
    agenda: isAgendaState(s.agenda) ? (s.agenda as AgendaState) : null,
    timer: isTimerState(s.timer) ? (s.timer as TimerState) : null,
    follow,
    votes,
    akkoord,
  }
}

/** Replace the fields of a nested Y.Map with a plain object's (keys it lacks are removed). */
function setFields(parent: Y.Map<unknown>, key: string, value: Record<string, unknown>) {
  let m = parent.get(key)
  if (!(m instanceof Y.Map)) {
    m = new Y.Map()
    parent.set(key, m)
  }
  const map = m as Y.Map<unknown>
  for (const k of [...map.keys()]) if (!(k in value)) map.delete(k)
  for (const [k, v] of Object.entries(value)) if (JSON.stringify(map.get(k)) !== JSON.stringify(v)) map.set(k, v)
  return map
}

function child(parent: Y.Map<unknown>, key: string): Y.Map<unknown> {
  let m = parent.get(key)
  if (!(m instanceof Y.Map)) {
    m = new Y.Map()
    parent.set(key, m)
  }
  return m as Y.Map<unknown>
}

/** All writes to the session map; `origin` marks the transactions (e.g. the board binding's). */
export class SessionWriter {
  constructor(
    readonly doc: Y.Doc,
    readonly origin: unknown = 'copboard-session',
  ) {}

  private get root() {
    return this.doc.getMap(SESSION_KEY) as Y.Map<unknown>
  }
  private tx(fn: (root: Y.Map<unknown>) => void) {
    this.doc.transact(() => fn(this.root), this.origin)
  }

  // ---- facilitator ----
  setAgenda(agenda: AgendaState | null, timer?: TimerState) {
    this.tx((root) => {
      if (agenda) setFields(root, 'agenda', { ...agenda })
      else root.delete('agenda')
      if (timer) setFields(root, 'timer', { ...timer })
    })
  }
  setTimer(timer: TimerState) {
    this.tx((root) => setFields(root, 'timer', { ...timer }))
  }
  setFollow(follow: FollowState) {
    this.tx((root) => setFields(root, 'follow', { ...follow }))
  }
  /** Open a vote (closing any other open one: one vote at a time). */
  openVote(v: VoteState) {
    this.tx((root) => {
      const votes = child(root, 'votes')
      votes.forEach((m, id) => {
        if (m instanceof Y.Map && m.get('state') === 'open' && id !== v.id) {
          m.set('state', 'closed')
          m.set('closedAt', v.openedAt)
        }
      })
      const { dots: _dots, id: _id, ...config } = v
      const m = new Y.Map<unknown>()
      for (const [k, val] of Object.entries(config)) m.set(k, val)
      m.set('dots', new Y.Map())
      votes.set(v.id, m)
    })
  }
  closeVote(voteId: string, now: number) {
    this.tx((root) => {
      const m = child(root, 'votes').get(voteId)
      if (m instanceof Y.Map && m.get('state') === 'open') {
        m.set('state', 'closed')
        m.set('closedAt', now)
      }
    })
  }
  showResults(voteId: string, shown: boolean) {
    this.tx((root) => {
      const m = child(root, 'votes').get(voteId)
      if (m instanceof Y.Map) m.set('resultsShown', shown)
    })
  }
  deleteVote(voteId: string) {
    this.tx((root) => child(root, 'votes').delete(voteId))
  }
  publishVersion(version: AkkoordVersion) {
    this.tx((root) => {
      const a = child(root, 'akkoord')
      let versions = a.get('versions')
      if (!(versions instanceof Y.Array)) {
        versions = new Y.Array()
        a.set('versions', versions)
      }
      ;(versions as Y.Array<unknown>).push([{ ...version }])
      if (!(a.get('endorsements') instanceof Y.Map)) a.set('endorsements', new Y.Map())
    })
  }

  // ---- participant: only their own entries ----
  /** Replace this participant's dot list of a vote (as a Y.Array under their participantId). */
  setDots(voteId: string, participantId: string, list: string[]) {
    this.tx((root) => {
      const m = child(root, 'votes').get(voteId)
      if (!(m instanceof Y.Map)) return
      const dots = m.get('dots')
      if (!(dots instanceof Y.Map)) return
      const cur = dots.get(participantId)
      if (cur instanceof Y.Array) {
        const old = cur.toArray() as string[]
        // append/remove in place so concurrent edits of other participants never collide
        let i = 0
        while (i < old.length && i < list.length && old[i] === list[i]) i++
        if (old.length - i > 0) cur.delete(i, old.length - i)
        if (list.length - i > 0) cur.insert(i, list.slice(i))
      } else {
        const arr = new Y.Array<string>()
        arr.push(list)
        dots.set(participantId, arr)
      }
    })
  }
  endorse(participantId: string, e: Endorsement) {
    this.tx((root) => {
      const a = root.get('akkoord')
      if (!(a instanceof Y.Map)) return
      const map = a.get('endorsements')
      if (map instanceof Y.Map) map.set(participantId, { ...e })
    })
  }
}
