/** The board policy on the real server: SPEC §4 anonymous zones (harness: policy-harness.ts). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, recordToY } from '@copboard/board'
import { waitFor } from './sync-harness.js'
import { usePolicyServer, comedy, act1Frame, rec, wire, note, board, stored } from './policy-harness.js'

usePolicyServer()

describe('board policy on the server (raw protocol clients): anonymous zones', { timeout: 60_000 }, () => {
  it('§4.1 an author in an anonymous zone is never stored and never on a peer\'s wire; without author the note is kept', async () => {
    const b = await board()
    try {
      const z = comedy.zones.find((d) => d.id === 'act1-gemeente')!
      const x = z.rect.x + 40
      const y = z.rect.y + 40
      getRecordsMap(b.part.doc).set('shape:anon', recordToY(note('anon', x, y, { author: 'Fatima Verraden', perspective: 'gemeente' })) as Y.Map<unknown>)
      await waitFor(() => b.denied.includes('policy:anonymous-author'), 'refusal notice')
      await waitFor(() => !getRecordsMap(b.part.doc).has('shape:anon'), 'sender converged')
      getRecordsMap(b.part.doc).set('shape:anon2', recordToY(note('anon2', x, y, { anonymous: true })) as Y.Map<unknown>)
      await waitFor(() => getRecordsMap(b.fac.doc).has('shape:anon2'), 'anonymous note arrives')
      expect(wire(b.frames, 'Fatima Verraden')).toBe(false)
      const s = await stored(b.room)
      expect(s.bytes.some((u) => u.includes('Fatima Verraden'))).toBe(false)
      expect(getRecordsMap(s.doc).has('shape:anon')).toBe(false)
      expect(getRecordsMap(s.doc).has('shape:anon2')).toBe(true)
    } finally {
      b.close()
    }
  })

  it('§4.3 moving the anonymous act onto an authored note is refused: the facilitator converges back, the note keeps its author outside act 1; moving it elsewhere is fine', async () => {
    const b = await board()
    try {
      const act2 = comedy.zones.find((d) => d.id === 'act2-gemeente')!
      getRecordsMap(b.part.doc).set('shape:named', recordToY(note('named', act2.rect.x + 40, act2.rect.y + 40, { author: 'Anna Zichtbaar', perspective: 'gemeente' })) as Y.Map<unknown>)
      await waitFor(() => getRecordsMap(b.fac.doc).has('shape:named'), 'authored note arrives')
      const facDenied: string[] = []
      const handlers = (b.fac as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
      handlers[2] = (_e: unknown, decoder: { arr: Uint8Array; pos: number }) => {
        facDenied.push(new TextDecoder().decode(decoder.arr.subarray(decoder.pos).subarray(2)))
        decoder.pos = decoder.arr.length
      }
      const a2 = comedy.zones.find((d) => d.id === 'act2')!
      b.fac.doc.transact(() => {
        rec(b.fac.doc, act1Frame.id).set('x', a2.rect.x)
        rec(b.fac.doc, act1Frame.id).set('y', a2.rect.y)
      })
      await waitFor(() => facDenied.includes('policy:anonymous-author'), 'refusal notice')
      await waitFor(() => rec(b.fac.doc, act1Frame.id).get('x') === act1Frame.x && rec(b.fac.doc, act1Frame.id).get('y') === act1Frame.y, 'facilitator converged')
      expect(rec(b.part.doc, act1Frame.id).get('x')).toBe(act1Frame.x)
      let s = await stored(b.room)
      expect(rec(s.doc, act1Frame.id).get('x')).toBe(act1Frame.x)
      // the same frame moved where no authored note lies: stored and seen
      rec(b.fac.doc, act1Frame.id).set('x', act1Frame.x + 8000)
      await waitFor(() => rec(b.part.doc, act1Frame.id).get('x') === act1Frame.x + 8000, 'participant sees the move')
      s = await stored(b.room)
      expect(rec(s.doc, act1Frame.id).get('x')).toBe(act1Frame.x + 8000)
    } finally {
      b.close()
    }
  })
})
