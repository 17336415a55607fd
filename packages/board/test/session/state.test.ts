import { describe, expect, it } from 'vitest'
import {
  activeVote, bringEveryone, canStopFollowing, closeVote, currentVersion, endorse, endorsementsByVersion, followAction, goToStep, newVersion, openVote, placeDot, release,
  removeDot, summon, tally, voteResults, dotsLeft, type AkkoordState, type VoteState,
} from '../../src/session'

const view = { pageId: 'page:a', x: 0, y: 0, w: 1000, h: 600 }
const inZone = new Set(['shape:a', 'shape:b', 'shape:c'])
const inScope = (id: string) => inZone.has(id)

describe('S1 agenda', () => {
  it('S1.1 goToStep clamps to the agenda', () => {
    const a = { templateId: 'accord', pageId: 'page:a', stepIndex: 0 }
    expect(goToStep(a, 2, [20, 25, 10]).stepIndex).toBe(2)
    expect(goToStep(a, 9, [20, 25, 10]).stepIndex).toBe(2)
    expect(goToStep(a, -1, [20, 25, 10]).stepIndex).toBe(0)
  })
})

describe('S3 follow state', () => {
  it('S3.1 a late joiner lands where the facilitator is; then only a new bring moves them', () => {
    expect(followAction({ seenBringSeq: null, following: false }, null)).toEqual({ kind: 'jump' })
    const f = bringEveryone(null, view)
    expect(f.bringSeq).toBe(1)
    expect(followAction({ seenBringSeq: 0, following: false }, f)).toEqual({ kind: 'jump' })
    expect(followAction({ seenBringSeq: 1, following: false }, f)).toEqual({ kind: 'none' })
    expect(followAction({ seenBringSeq: 1, following: true }, f)).toEqual({ kind: 'follow' })
  })
  it('S3.2 summon locks following until released', () => {
    const s = summon(bringEveryone(null, view), view)
    expect(s).toMatchObject({ locked: true, bringSeq: 2 })
    expect(followAction({ seenBringSeq: 2, following: false }, s)).toEqual({ kind: 'follow' })
    expect(canStopFollowing(s)).toBe(false)
    const r = release(s)
    expect(canStopFollowing(r)).toBe(true)
    expect(followAction({ seenBringSeq: 2, following: false }, r)).toEqual({ kind: 'none' })
  })
})

describe('S4 dot voting', () => {
  const vote = (): VoteState => openVote('v1', 'Wat pakken we op?', { kind: 'zone', pageId: 'page:a', templateId: 'accord', zoneId: 'principles' }, 3, 1000)

  it('S4.1 at most N dots per participant, several on one note allowed', () => {
    let v = vote()
    for (const id of ['shape:a', 'shape:a', 'shape:b']) {
      const r = placeDot(v, 'p1', id, inScope)
      expect(Array.isArray(r)).toBe(true)
      v = { ...v, dots: { ...v.dots, p1: r as string[] } }
    }
    expect(dotsLeft(v, 'p1')).toBe(0)
    expect(placeDot(v, 'p1', 'shape:c', inScope)).toBe('no-dots-left')
    expect(dotsLeft(v, 'p2')).toBe(3)
  })
  it('S4.2 dots only on notes in scope; take back only a dot you placed', () => {
    const v = { ...vote(), dots: { p1: ['shape:a'] } }
    expect(placeDot(v, 'p1', 'shape:outside', inScope)).toBe('not-in-scope')
    expect(removeDot(v, 'p2', 'shape:a')).toBe('no-dot-here')
    expect(removeDot(v, 'p1', 'shape:a')).toEqual([])
  })
  it('S4.3 a closed vote takes no dots and keeps its results', () => {
    const v = closeVote({ ...vote(), dots: { p1: ['shape:a', 'shape:b'], p2: ['shape:a', 'shape:a'] } }, 2000)
    expect(v).toMatchObject({ state: 'closed', closedAt: 2000 })
    expect(placeDot(v, 'p3', 'shape:a', inScope)).toBe('vote-closed')
    expect(removeDot(v, 'p1', 'shape:a')).toBe('vote-closed')
    expect(tally(v).get('shape:a')).toBe(3)
    expect(voteResults(v)).toEqual([
      { shapeId: 'shape:a', dots: 3, voters: 2 },
      { shapeId: 'shape:b', dots: 1, voters: 1 },
    ])
  })
  it('S4.4 the open vote is the active one, else the latest', () => {
    const a = closeVote(openVote('a', 'a', { kind: 'board', pageId: 'p' }, 1, 10), 20)
    const b = closeVote(openVote('b', 'b', { kind: 'board', pageId: 'p' }, 1, 30), 40)
    expect(activeVote({ a, b })?.id).toBe('b')
    expect(activeVote({ a: openVote('a', 'a', { kind: 'board', pageId: 'p' }, 1, 10), b })?.id).toBe('a')
    expect(activeVote({})).toBeNull()
  })
})

describe('S5 akkoord versions and endorsements', () => {
  it('S5.1 each changed text is a new version; the same text is not', () => {
    let a: AkkoordState = { versions: [], endorsements: {} }
    const v1 = newVersion(a, '  Samen warm  ', 'Fac', 1)
    expect(v1).toEqual({ version: 1, text: 'Samen warm', at: 1, by: 'Fac' })
    a = { ...a, versions: [v1 as never] }
    expect(newVersion(a, 'Samen warm', 'Fac', 2)).toBe('unchanged')
    expect(newVersion(a, 'x'.repeat(5000), 'Fac', 2)).toBe('too-long')
    expect(currentVersion(a)).toBe(1)
  })
  it('S5.2 endorse the current version once; a new version may be endorsed again; history by version', () => {
    let a: AkkoordState = { versions: [{ version: 1, text: 'v1', at: 1, by: 'F' }], endorsements: {} }
    expect(endorse({ versions: [], endorsements: {} }, 'p1', 'Ann', null, 1)).toBe('no-statement')
    const e = endorse(a, 'p1', 'Ann', 'gemeente', 5)
    expect(e).toEqual({ version: 1, name: 'Ann', perspective: 'gemeente', at: 5 })
    a = { ...a, endorsements: { p1: e as never, p2: { version: 1, name: 'Bob', perspective: null, at: 6 } } }
    expect(endorse(a, 'p1', 'Ann', 'gemeente', 6)).toBe('already-endorsed')
    a = { ...a, versions: [...a.versions, { version: 2, text: 'v2', at: 7, by: 'F' }] }
    const e2 = endorse(a, 'p1', 'Ann', 'gemeente', 8) as never
    a = { ...a, endorsements: { ...a.endorsements, p1: e2 } }
    expect(endorsementsByVersion(a).map((v) => [v.version, v.endorsers.map((x) => x.name)])).toEqual([
      [1, ['Bob']],
      [2, ['Ann']],
    ])
  })
})
