/** The board policy on the real server: SPEC §5 session state and run of show (harness: policy-harness.ts). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, writeRecords } from '@copboard/board'
import { provider, synced, waitFor } from './sync-harness.js'
import { usePolicyServer, openVote, SECRET_Q, pidP, pidQ, wire, note, board, stored } from './policy-harness.js'

const server = usePolicyServer()

describe('board policy on the server (raw protocol clients): session state', { timeout: 60_000 }, () => {
  it('§5 session state: a participant\'s write is refused, its own entry is allowed, someone else\'s entry is refused', async () => {
    const b = await board()
    try {
      b.fac.doc.transact(() => {
        openVote(b.fac.doc)
      })
      writeRecords(b.fac.doc, [note('a', 3000, 3000, {})])
      const dots = (d: Y.Doc) => ((d.getMap('session').get('votes') as Y.Map<any>)?.get('v1') as Y.Map<any>)?.get('dots') as Y.Map<any> | undefined
      await waitFor(() => !!dots(b.part.doc), 'vote reaches the participant')
      b.part.doc.getMap('session').set('timer', { state: 'running', endsAt: 0, durationMs: 1 })
      await waitFor(() => b.denied.includes('policy:session-facilitator-only'), 'timer refused')
      await waitFor(() => !b.part.doc.getMap('session').has('timer'), 'timer reverted')
      await waitFor(() => getRecordsMap(b.part.doc).has('shape:a'), 'note reaches the participant')
      const own = new Y.Array<string>()
      own.push(['shape:a'])
      dots(b.part.doc)!.set(pidP, own)
      await waitFor(() => dots(b.fac.doc)?.has(pidP) === true, 'own dots reach the facilitator')
      dots(b.part.doc)!.set(pidQ, new Y.Array())
      await waitFor(() => b.denied.includes('policy:not-own-entry'), 'foreign entry refused')
      await waitFor(() => !dots(b.part.doc)!.has(pidQ), 'foreign entry reverted')
      const s = await stored(b.room)
      expect(dots(s.doc)!.has(pidP)).toBe(true)
      expect(dots(s.doc)!.has(pidQ)).toBe(false)
      expect(s.doc.getMap('session').has('timer')).toBe(false)
    } finally {
      b.close()
    }
  })

  it('§5.4 run of show: a participant cannot start the timer, close a vote, move someone else\'s dot or exceed N dots; the facilitator can close', async () => {
    const b = await board()
    const q = provider(server().syncUrl, b.room, new Y.Doc(), { as: 'participant', participantSecret: SECRET_Q })
    try {
      await synced(q)
      const vote = (d: Y.Doc) => (d.getMap('session').get('votes') as Y.Map<any> | undefined)?.get('v1') as Y.Map<any> | undefined
      b.fac.doc.transact(() => {
        openVote(b.fac.doc)
        b.fac.doc.getMap('session').set('timer', { state: 'idle', durationMs: 600_000 })
      })
      writeRecords(b.fac.doc, [note('a', 3000, 3000, {}), note('b', 3300, 3000, {})])
      await waitFor(() => !!vote(b.part.doc) && !!vote(q.doc) && getRecordsMap(q.doc).has('shape:b') && getRecordsMap(b.part.doc).has('shape:b'), 'vote and notes reach both participants')
      // Q places a dot
      const qd = new Y.Array<string>()
      qd.push(['shape:b'])
      vote(q.doc)!.get('dots').set(pidQ, qd)
      await waitFor(() => vote(b.part.doc)?.get('dots').get(pidQ)?.length === 1, "Q's dot reaches P")
      // P: start the timer, close the vote, move Q's dot, take 3 dots: each refused and reverted
      b.part.doc.getMap('session').set('timer', { state: 'running', durationMs: 600_000, endsAt: Date.now() + 600_000 })
      await waitFor(() => (b.part.doc.getMap('session').get('timer') as any)?.state === 'idle', 'timer start reverted')
      vote(b.part.doc)!.set('state', 'closed')
      await waitFor(() => vote(b.part.doc)!.get('state') === 'open', 'close reverted')
      const theirs = vote(b.part.doc)!.get('dots').get(pidQ) as Y.Array<string>
      b.part.doc.transact(() => {
        theirs.delete(0, 1)
        theirs.push(['shape:a'])
      })
      await waitFor(() => (vote(b.part.doc)!.get('dots').get(pidQ) as Y.Array<string>).toArray().join() === 'shape:b', 'moved dot reverted')
      const three = new Y.Array<string>()
      three.push(['shape:a', 'shape:a', 'shape:b'])
      vote(b.part.doc)!.get('dots').set(pidP, three)
      await waitFor(() => b.denied.includes('policy:vote-rule'), 'third dot refused')
      await waitFor(() => !vote(b.part.doc)!.get('dots').has(pidP), 'over-limit dots reverted')
      expect(b.denied).toEqual(expect.arrayContaining(['policy:session-facilitator-only', 'policy:not-own-entry', 'policy:vote-rule']))
      // the facilitator closes; afterwards Q cannot add a dot
      vote(b.fac.doc)!.set('state', 'closed')
      await waitFor(() => vote(q.doc)?.get('state') === 'closed', 'close reaches Q')
      ;(vote(q.doc)!.get('dots').get(pidQ) as Y.Array<string>).push(['shape:a'])
      await waitFor(() => (vote(q.doc)!.get('dots').get(pidQ) as Y.Array<string>).length === 1, 'dot after close reverted')
      const s = await stored(b.room)
      expect((s.doc.getMap('session').get('timer') as any).state).toBe('idle')
      expect(vote(s.doc)!.get('state')).toBe('closed')
      expect((vote(s.doc)!.get('dots').get(pidQ) as Y.Array<string>).toArray()).toEqual(['shape:b'])
      expect(vote(s.doc)!.get('dots').has(pidP)).toBe(false)
      // the refused timer start never reached another participant's wire
      expect(wire(b.frames, 'running')).toBe(false)
    } finally {
      q.destroy()
      b.close()
    }
  })
})
