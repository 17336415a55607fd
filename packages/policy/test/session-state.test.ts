/** Board policy SPEC §5 session state; shared harness: fixture.ts. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addRecord, attempt, boardDoc, facilitator, note, other, pageId, participant, zoneShape, refusedWith, ok } from './fixture.js'

describe('§5 session state', () => {
  const doc = boardDoc()
  // a comedy board with two notes on its page (in scope of a whole-page vote), an open vote (2 dots) and akkoord v1
  addRecord(doc, note('a', 100, 100))
  addRecord(doc, note('b', 400, 100))
  doc.transact(() => {
    const session = doc.getMap('session')
    const votes = new Y.Map()
    const v1 = new Y.Map()
    for (const [k, v] of Object.entries({ title: 'Welke opgave eerst?', scope: { kind: 'board', pageId }, dotsPerPerson: 2, state: 'open', openedAt: 1, closedAt: null })) v1.set(k, v)
    v1.set('dots', new Y.Map())
    votes.set('v1', v1)
    session.set('votes', votes)
    const akkoord = new Y.Map()
    const versions = new Y.Array()
    versions.push([{ version: 1, text: 'Samen warm', at: 1, by: 'F' }])
    akkoord.set('versions', versions)
    akkoord.set('endorsements', new Y.Map())
    session.set('akkoord', akkoord)
  })
  const dots = (d: Y.Doc) => ((d.getMap('session').get('votes') as Y.Map<any>).get('v1') as Y.Map<any>).get('dots') as Y.Map<any>
  const endorsements = (d: Y.Doc) => (d.getMap('session').get('akkoord') as Y.Map<any>).get('endorsements') as Y.Map<any>

  it('§5.1 a participant cannot write facilitator state (agenda, timer, vote config); the facilitator can', () => {
    const edits: ((d: Y.Doc) => void)[] = [
      (d) => d.getMap('session').set('timer', { state: 'running', endsAt: 1, durationMs: 1 }),
      (d) => d.getMap('session').set('agenda', 'step-2'),
      (d) => ((d.getMap('session').get('votes') as Y.Map<any>).get('v1') as Y.Map<any>).set('title', 'anders'),
      (d) => ((d.getMap('session').get('akkoord') as Y.Map<any>).get('versions') as Y.Array<string>).push(['nieuw']),
      (d) => d.getMap('session').delete('votes'),
    ]
    for (const edit of edits) {
      expect(attempt(doc, participant, edit)).toEqual(refusedWith('session-facilitator-only'))
      expect(attempt(doc, facilitator, edit)).toEqual(ok)
    }
  })

  it('§5.2 a participant writes their own dots and endorsement, never someone else\'s', () => {
    const mine = participant.participantId!
    const theirs = other.participantId!
    expect(attempt(doc, participant, (d) => dots(d).set(mine, new Y.Array()))).toEqual(ok)
    expect(attempt(doc, participant, (d) => endorsements(d).set(mine, { version: 1, name: 'Fatima', perspective: null, at: 1 }))).toEqual(ok)
    expect(attempt(doc, participant, (d) => dots(d).set(theirs, new Y.Array()))).toEqual(refusedWith('not-own-entry'))
    expect(attempt(doc, participant, (d) => endorsements(d).set(theirs, { version: 1, name: 'Fake', at: 1 }))).toEqual(refusedWith('not-own-entry'))
    expect(attempt(doc, { role: 'participant', participantId: null }, (d) => dots(d).set(mine, new Y.Array()))).toEqual(refusedWith('not-own-entry'))
  })

  it('§5.2 inside an own entry a participant may keep editing (array of shape ids)', () => {
    const d0 = boardDoc()
    Y.applyUpdate(d0, Y.encodeStateAsUpdate(doc))
    d0.transact(() => dots(d0).set(participant.participantId!, new Y.Array()))
    expect(attempt(d0, participant, (d) => (dots(d).get(participant.participantId!) as Y.Array<string>).push(['shape:a']))).toEqual(ok)
    expect(attempt(d0, participant, (d) => (dots(d).get(participant.participantId!) as Y.Array<string>).push(['shape:a', 'shape:b', 'shape:b']))).toEqual(refusedWith('vote-rule'))
    expect(attempt(d0, other, (d) => (dots(d).get(participant.participantId!) as Y.Array<string>).push(['shape:a']))).toEqual(refusedWith('not-own-entry'))
  })

  it('§5.4 dots (board S6.4): only while the vote is open, at most N, only on notes in scope', () => {
    const mine = participant.participantId!
    const list = (...ids: string[]) => (d: Y.Doc) => {
      const a = new Y.Array<string>()
      a.push(ids)
      dots(d).set(mine, a)
    }
    expect(attempt(doc, participant, list('shape:a', 'shape:b'))).toEqual(ok)
    expect(attempt(doc, participant, list('shape:a', 'shape:a', 'shape:b'))).toEqual(refusedWith('vote-rule'))
    expect(attempt(doc, participant, list('shape:nope'))).toEqual(refusedWith('vote-rule'))
    const scaffoldId = zoneShape('act1').id
    expect(attempt(doc, participant, list(scaffoldId))).toEqual(refusedWith('vote-rule'))
    const closed = boardDoc()
    Y.applyUpdate(closed, Y.encodeStateAsUpdate(doc))
    ;((closed.getMap('session').get('votes') as Y.Map<any>).get('v1') as Y.Map<any>).set('state', 'closed')
    expect(attempt(closed, participant, list('shape:a'))).toEqual(refusedWith('vote-rule'))
    // closing a vote is the facilitator's
    expect(attempt(doc, participant, (d) => ((d.getMap('session').get('votes') as Y.Map<any>).get('v1') as Y.Map<any>).set('state', 'closed'))).toEqual(refusedWith('session-facilitator-only'))
  })

  it('§5.5 endorsement (board S6.5): the current version only, never withdrawn', () => {
    const mine = participant.participantId!
    expect(attempt(doc, participant, (d) => endorsements(d).set(mine, { version: 2, name: 'Fatima', perspective: null, at: 1 }))).toEqual(refusedWith('endorsement-rule'))
    expect(attempt(doc, participant, (d) => endorsements(d).set(mine, { version: 1, name: 42, at: 1 }))).toEqual(refusedWith('endorsement-rule'))
    const signed = boardDoc()
    Y.applyUpdate(signed, Y.encodeStateAsUpdate(doc))
    endorsements(signed).set(mine, { version: 1, name: 'Fatima', perspective: null, at: 1 })
    expect(attempt(signed, participant, (d) => endorsements(d).delete(mine))).toEqual(refusedWith('endorsement-rule'))
  })

  it('§5.3 an own entry has a size limit', () => {
    expect(attempt(doc, participant, (d) => endorsements(d).set(participant.participantId!, { name: 'x'.repeat(10_000) }))).toEqual(refusedWith('too-large'))
  })
})
