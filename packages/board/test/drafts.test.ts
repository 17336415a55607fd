import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  bindStoreToDoc,
  draftRecords,
  draftRoomName,
  isPrivateShape,
  parseDraftRoom,
  readRecords,
  readRevealState,
  syncScheduler,
  writeRevealState,
} from '../src/index.js'
import { newStore, note, seed, textOf } from './helpers.js'

const pid = 'AbCdEfGhIjKlMnOpQrStUv'

describe('drafts', () => {
  it('rule 12: draft names round-trip and nothing else parses as a draft', () => {
    expect(parseDraftRoom(draftRoomName('room_1-x', pid))).toEqual({ room: 'room_1-x', participantId: pid })
    for (const bad of ['room', `~draft~${pid}`, `room~draft~short`, `room~draft~${pid}x`, `a~b~draft~${pid}`, `room~draft~${pid.slice(0, 21)}!`]) {
      expect(parseDraftRoom(bad), bad).toBeNull()
    }
  })

  it('rule 12: reveal state defaults to open, round 0 and reads back what was written', () => {
    const doc = new Y.Doc()
    expect(readRevealState(doc)).toEqual({ mode: 'open', round: 0, revealedAt: null })
    writeRevealState(doc, { mode: 'private' })
    expect(readRevealState(doc).mode).toBe('private')
    writeRevealState(doc, { mode: 'open', round: 1, revealedAt: 5 })
    expect(readRevealState(doc)).toEqual({ mode: 'open', round: 1, revealedAt: 5 })
  })

  it('rule 12: draftRecords keeps private shapes and their bindings only', () => {
    const priv = { ...note('p'), meta: { private: true } } as any
    const pub = note('q')
    const bind = { id: 'binding:b', typeName: 'binding', fromId: 'shape:x', toId: 'shape:p' } as any
    const other = { id: 'binding:c', typeName: 'binding', fromId: 'shape:x', toId: 'shape:q' } as any
    expect(draftRecords([priv, pub, bind, other]).map((r) => r.id)).toEqual(['shape:p', 'binding:b'])
    expect(isPrivateShape(pub)).toBe(false)
  })

  it('rule 11: include splits one store over a board doc and a draft doc', () => {
    const store = newStore()
    seed(store)
    const board = new Y.Doc()
    const draft = new Y.Doc()
    bindStoreToDoc(store, board, { scheduler: syncScheduler, include: (r) => !isPrivateShape(r) })
    bindStoreToDoc(store, draft, { scheduler: syncScheduler, include: isPrivateShape })
    store.put([note('pub', 0, 0, 'open'), { ...note('priv', 0, 0, 'geheim'), meta: { private: true } } as any])
    expect(readRecords(board).map((r) => r.id)).not.toContain('shape:priv')
    expect(readRecords(board).map((r) => r.id)).toContain('shape:pub')
    expect(readRecords(draft).map((r) => r.id)).toEqual(['shape:priv'])
    expect(JSON.stringify(Y.encodeStateAsUpdate(board))).not.toContain('geheim')
    // a remote removal in the draft (the reveal) removes the shape from the store; the board binding leaves it alone
    draft.transact(() => draft.getMap('records').delete('shape:priv'), 'server')
    expect(store.get('shape:priv' as any)).toBeUndefined()
    expect(textOf(store.get('shape:pub' as any))).toBe('open')
    // the board's initial sweep does not drop private shapes it does not carry
    store.put([{ ...note('priv2', 0, 0, 'x'), meta: { private: true } } as any])
    const store2 = newStore()
    store2.put([{ ...note('priv3'), meta: { private: true } } as any])
    bindStoreToDoc(store2, board, { scheduler: syncScheduler, include: (r) => !isPrivateShape(r) })
    expect(store2.get('shape:priv3' as any)).toBeTruthy()
  })
})
