import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkSessionUpdate, idleTimer, openVote, readSession, SessionWriter, SESSION_KEY, startTimer, bringEveryone, type SessionActor } from '../../src'

const fac: SessionActor = { role: 'facilitator', participantId: 'pF' }
const ann: SessionActor = { role: 'participant', participantId: 'pA' }
const bob: SessionActor = { role: 'participant', participantId: 'pB' }
const ctx = { noteInScope: (_v: unknown, id: string) => id.startsWith('shape:in') }

/** A doc the facilitator prepared: timer, an open vote (2 dots), akkoord v1. */
function prepared() {
  const doc = new Y.Doc()
  const w = new SessionWriter(doc)
  w.setTimer(idleTimer(60_000))
  w.setFollow(bringEveryone(null, { pageId: 'page:a', x: 0, y: 0, w: 10, h: 10 }))
  w.openVote(openVote('v1', 'Stem', { kind: 'board', pageId: 'page:a' }, 2, 1))
  w.publishVersion({ version: 1, text: 'Samen', at: 1, by: 'F' })
  return { doc, w }
}

/** Apply `fn` to a copy of the doc and run the rules on before/after JSON. */
function attempt(doc: Y.Doc, actor: SessionActor, fn: (w: SessionWriter, root: Y.Map<unknown>) => void) {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = copy.getMap(SESSION_KEY).toJSON()
  fn(new SessionWriter(copy), copy.getMap(SESSION_KEY) as Y.Map<unknown>)
  return { result: checkSessionUpdate(before, copy.getMap(SESSION_KEY).toJSON(), actor, ctx), copy }
}

describe('S0 the session map in the doc', () => {
  it('S0.1 writer and reader round-trip; malformed entries read as absent', () => {
    const { doc } = prepared()
    const s = readSession(doc)
    expect(s.timer).toEqual(idleTimer(60_000))
    expect(s.votes.v1).toMatchObject({ id: 'v1', state: 'open', dotsPerPerson: 2, dots: {} })
    expect(s.akkoord?.versions).toHaveLength(1)
    doc.getMap(SESSION_KEY).set('timer', 'garbage')
    expect(readSession(doc).timer).toBeNull()
  })
  it('S0.2 concurrent dots of two participants merge', () => {
    const { doc } = prepared()
    const a = new Y.Doc()
    const b = new Y.Doc()
    Y.applyUpdate(a, Y.encodeStateAsUpdate(doc))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(doc))
    new SessionWriter(a).setDots('v1', 'pA', ['shape:in1'])
    new SessionWriter(b).setDots('v1', 'pB', ['shape:in2', 'shape:in2'])
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(readSession(a).votes.v1!.dots).toEqual({ pA: ['shape:in1'], pB: ['shape:in2', 'shape:in2'] })
    expect(readSession(b).votes.v1!.dots).toEqual(readSession(a).votes.v1!.dots)
  })
})

describe('S6 server rules for the session map', () => {
  it('S6.1 a viewer changes nothing', () => {
    const { doc } = prepared()
    expect(attempt(doc, { role: 'viewer', participantId: 'pV' }, (w) => w.setDots('v1', 'pV', ['shape:in1'])).result?.rule).toBe('S6.1')
  })
  it('S6.3 a participant cannot start the timer, close a vote, bring everyone or edit the statement', () => {
    const { doc } = prepared()
    expect(attempt(doc, ann, (w) => w.setTimer(startTimer(idleTimer(60_000), 5))).result?.rule).toBe('S6.3')
    expect(attempt(doc, ann, (w) => w.closeVote('v1', 5)).result?.rule).toBe('S6.3')
    expect(attempt(doc, ann, (w) => w.setFollow(bringEveryone(null, { pageId: 'p', x: 0, y: 0, w: 1, h: 1 }))).result?.rule).toBe('S6.3')
    expect(attempt(doc, ann, (w) => w.publishVersion({ version: 2, text: 'mijn tekst', at: 5, by: 'Ann' })).result?.rule).toBe('S6.3')
    expect(attempt(doc, ann, (_w, root) => root.set('foo', 1)).result?.rule).toBe('S6.3')
  })
  it('S6.3 a participant cannot move or remove someone else\'s dot', () => {
    const { doc } = prepared()
    const { copy } = attempt(doc, bob, (w) => w.setDots('v1', 'pB', ['shape:in1']))
    expect(attempt(copy, ann, (w) => w.setDots('v1', 'pB', ['shape:in2'])).result?.rule).toBe('S6.3')
    expect(attempt(copy, ann, (w) => w.setDots('v1', 'pB', [])).result?.rule).toBe('S6.3')
    // nor can the facilitator vote in Bob's name
    expect(attempt(copy, fac, (w) => w.setDots('v1', 'pB', ['shape:in1', 'shape:in2'])).result?.rule).toBe('S6.2')
  })
  it('S6.4 own dots: vote open, at most N, only on notes in scope; taking back is fine', () => {
    const { doc } = prepared()
    expect(attempt(doc, ann, (w) => w.setDots('v1', 'pA', ['shape:in1', 'shape:in1'])).result).toBeNull()
    expect(attempt(doc, ann, (w) => w.setDots('v1', 'pA', ['shape:in1', 'shape:in1', 'shape:in2'])).result).toEqual({ rule: 'S6.4', reason: 'no-dots-left' })
    expect(attempt(doc, ann, (w) => w.setDots('v1', 'pA', ['shape:out'])).result).toEqual({ rule: 'S6.4', reason: 'not-in-scope' })
    const { copy } = attempt(doc, ann, (w) => w.setDots('v1', 'pA', ['shape:in1']))
    expect(attempt(copy, ann, (w) => w.setDots('v1', 'pA', [])).result).toBeNull()
    const closed = attempt(copy, fac, (w) => w.closeVote('v1', 9))
    expect(closed.result).toBeNull()
    expect(attempt(closed.copy, ann, (w) => w.setDots('v1', 'pA', [])).result).toEqual({ rule: 'S6.4', reason: 'vote-closed' })
  })
  it('S6.5 endorse only the current version, once, never withdrawn', () => {
    const { doc } = prepared()
    const e = { version: 1, name: 'Ann', perspective: 'gemeente', at: 3 }
    const first = attempt(doc, ann, (w) => w.endorse('pA', e))
    expect(first.result).toBeNull()
    expect(attempt(first.copy, ann, (w) => w.endorse('pA', { ...e, at: 4 })).result).toEqual({ rule: 'S6.5', reason: 'already-endorsed' })
    expect(attempt(doc, ann, (w) => w.endorse('pA', { ...e, version: 2 })).result).toEqual({ rule: 'S6.5', reason: 'not-current' })
    expect(attempt(first.copy, ann, (_w, root) => ((root.get('akkoord') as Y.Map<any>).get('endorsements') as Y.Map<unknown>).delete('pA')).result?.rule).toBe('S6.5')
    expect(attempt(doc, bob, (w) => w.endorse('pA', e)).result?.rule).toBe('S6.3')
    // a new version: Ann may endorse again
    const v2 = attempt(first.copy, fac, (w) => w.publishVersion({ version: 2, text: 'Samen sterk', at: 5, by: 'F' }))
    expect(v2.result).toBeNull()
    expect(attempt(v2.copy, ann, (w) => w.endorse('pA', { ...e, version: 2 })).result).toBeNull()
  })
  it('S6.2 the facilitator writes only well-formed state; akkoord versions are append-only', () => {
    const { doc } = prepared()
    expect(attempt(doc, fac, (w) => w.setTimer(startTimer(idleTimer(60_000), 5))).result).toBeNull()
    expect(attempt(doc, fac, (_w, root) => root.set('timer', { state: 'running', durationMs: -1 })).result?.rule).toBe('S6.2')
    expect(attempt(doc, fac, (w) => w.openVote({ ...openVote('v2', 't', { kind: 'board', pageId: 'p' }, 2, 1), dotsPerPerson: 500 })).result?.rule).toBe('S6.2')
    expect(attempt(doc, fac, (w) => w.deleteVote('v1')).result).toBeNull()
    // versions are history: no rewriting, numbered by position
    expect(attempt(doc, fac, (w) => w.publishVersion({ version: 2, text: 'Nieuw', at: 2, by: 'F' })).result).toBeNull()
    expect(attempt(doc, fac, (w) => w.publishVersion({ version: 5, text: 'Nieuw', at: 2, by: 'F' })).result).toEqual({ rule: 'S6.2', reason: 'malformed akkoord version' })
    const rewrite = (_w: SessionWriter, root: Y.Map<unknown>) => ((root.get('akkoord') as Y.Map<unknown>).get('versions') as Y.Array<unknown>).delete(0, 1)
    expect(attempt(doc, fac, rewrite).result).toEqual({ rule: 'S6.2', reason: 'akkoord versions are append-only' })
  })
})

describe('S6 checks for the board policy (after-view of a participant\'s own entry)', () => {
  it('S6.4 own dots: open vote, at most N, in scope', async () => {
    const { checkOwnDots } = await import('../../src/session')
    const { doc, w } = prepared()
    const after = () => readSession(doc)
    expect(checkOwnDots(after(), 'v1', ['shape:in1', 'shape:in2'], ctx.noteInScope)).toBeNull()
    expect(checkOwnDots(after(), 'v1', ['shape:in1', 'shape:in1', 'shape:in1'], ctx.noteInScope)).toEqual({ rule: 'S6.4', reason: 'no-dots-left' })
    expect(checkOwnDots(after(), 'v1', ['shape:out'], ctx.noteInScope)).toEqual({ rule: 'S6.4', reason: 'not-in-scope' })
    expect(checkOwnDots(after(), 'v1', [3], ctx.noteInScope)).toEqual({ rule: 'S6.4', reason: 'malformed dots' })
    expect(checkOwnDots(after(), 'nope', [], ctx.noteInScope)?.reason).toBe('no such vote')
    w.closeVote('v1', 9)
    expect(checkOwnDots(after(), 'v1', ['shape:in1'], ctx.noteInScope)).toEqual({ rule: 'S6.4', reason: 'vote-closed' })
    expect(checkOwnDots(after(), 'v1', undefined, ctx.noteInScope)).toEqual({ rule: 'S6.4', reason: 'vote-closed' })
  })
  it('S6.5 own endorsement: the current version, never withdrawn', async () => {
    const { checkOwnEndorsement } = await import('../../src/session')
    const { doc, w } = prepared()
    const e = { version: 1, name: 'Ann', perspective: null, at: 1 }
    expect(checkOwnEndorsement(readSession(doc), e)).toBeNull()
    expect(checkOwnEndorsement(readSession(doc), undefined)?.reason).toBe('an endorsement cannot be withdrawn')
    expect(checkOwnEndorsement(readSession(doc), { ...e, name: 5 })?.reason).toBe('malformed endorsement')
    w.publishVersion({ version: 2, text: 'Nieuw', at: 2, by: 'F' })
    expect(checkOwnEndorsement(readSession(doc), e)).toEqual({ rule: 'S6.5', reason: 'not-current' })
  })
})
