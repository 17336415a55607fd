/** RoomManager (SPEC.md): §1 protocol, §4 awareness, §6 read-only connections. Shared setup in roomHarness.ts. */
import { afterEach, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { CloseCodes, READ_ONLY_REASON } from '../src/index.js'
import { awarenessFrame, closeRooms, setup, updateFrame } from './roomHarness.js'
import { settle } from './client.js'

afterEach(closeRooms)

describe('§1 protocol', () => {
  it('§1.1 greets a new connection with sync step 1 and the present awareness', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    await settle()
    const b = client('r1')
    await settle()
    expect(b.received[0][0]).toBe(0) // sync
    expect(b.received[0][1]).toBe(0) // step 1
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a' })
  })

  it('§1.2 §1.3 two clients converge on concurrent edits, nothing is echoed to the sender', async () => {
    const { client } = setup()
    const a = client()
    const b = client()
    await settle()
    a.doc.getText('t').insert(0, 'hello ')
    b.doc.getText('t').insert(0, 'world ')
    await settle()
    expect(a.text()).toBe(b.text())
    expect(a.text()).toContain('hello')
    expect(a.text()).toContain('world')
    // a received exactly one doc update after the initial sync: b's
    const updatesToA = a.received.filter((f) => f[0] === 0 && f[1] === 2)
    expect(updatesToA).toHaveLength(1)
  })

  it('§1.2 a late joiner receives the full state in its first sync step 2', async () => {
    const { client } = setup()
    const a = client()
    await settle()
    a.doc.getText('t').insert(0, 'abc')
    await settle()
    const late = client()
    await settle()
    expect(late.text()).toBe('abc')
  })

  it('§1.4 query-awareness is answered with every state', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    const b = client('r1', { name: 'b' })
    await settle()
    const before = b.received.length
    b.sendRaw(new Uint8Array([3]))
    await settle()
    expect(b.received.length).toBe(before + 1)
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a' })
  })

  it('§1.5 a redundant update is neither stored nor broadcast', async () => {
    const { client, storage } = setup()
    const a = client()
    const b = client()
    await settle()
    const frame = updateFrame(a.doc, (d) => d.getText('t').insert(0, 'x'))
    await settle()
    const stored = storage.logs.get('r1')!.length
    const bFrames = b.received.length
    a.sendRaw(frame) // the same update again
    await settle()
    expect(storage.logs.get('r1')!.length).toBe(stored)
    expect(b.received.length).toBe(bFrames)
  })
})

describe('§4 awareness', () => {
  it('§4.1 §4.3 awareness appears for others and is removed when its connection leaves', async () => {
    const { client } = setup()
    const a = client('r1', { name: 'a' })
    const b = client('r1', { name: 'b' })
    await settle()
    expect(a.awareness.getStates().get(b.doc.clientID)).toEqual({ name: 'b' })
    b.disconnect()
    await settle()
    expect(a.awareness.getStates().has(b.doc.clientID)).toBe(false)
  })

  it('§4.2 a reconnecting client takes its id over; the dead socket leaving does not erase it', async () => {
    const { client, manager } = setup()
    const watcher = client('r1')
    const old = client('r1', { name: 'x' })
    await settle()
    // the old socket dies silently (no close event yet); the client reconnects with the same id
    old.socket.open = false
    const sock2 = client('r1')
    old.awareness.setLocalState({ name: 'x2' })
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(old.awareness, [old.doc.clientID]))
    await settle()
    sock2.sendRaw(encoding.toUint8Array(e))
    await settle()
    expect(watcher.awareness.getStates().get(old.doc.clientID)).toEqual({ name: 'x2' })
    old.disconnect()
    await settle()
    expect(watcher.awareness.getStates().get(old.doc.clientID)).toEqual({ name: 'x2' })
    expect(manager.stats().connections).toBe(2)
  })
})

describe('§4.2 who may change a client id', () => {
  /** The clock the room (as a watcher sees it) holds for `id`. */
  const clockOf = (watcher: { awareness: awarenessProtocol.Awareness }, id: number) => watcher.awareness.meta.get(id)?.clock ?? 0

  it('§4.2 another participant can neither remove nor rewrite a present person; its own entries in the same update apply, and it stays', async () => {
    const { client } = setup()
    const watcher = client('r1', { participant: 'w' })
    const a = client('r1', { name: 'a', participant: 'pa' })
    const b = client('r1', { name: 'b', participant: 'pb' })
    await settle()
    const aId = a.doc.clientID
    const c = clockOf(watcher, aId)
    b.sendRaw(awarenessFrame([{ id: aId, clock: c + 5, json: 'null' }]))
    await settle()
    expect(watcher.awareness.getStates().get(aId)).toEqual({ name: 'a' })
    b.sendRaw(
      awarenessFrame([
        { id: aId, clock: c + 6, state: { name: 'not a' } },
        { id: b.doc.clientID, clock: clockOf(watcher, b.doc.clientID) + 1, state: { name: 'b2' } },
      ]),
    )
    await settle()
    expect(watcher.awareness.getStates().get(aId)).toEqual({ name: 'a' })
    expect(watcher.awareness.getStates().get(b.doc.clientID)).toEqual({ name: 'b2' })
    expect(b.socket.closeCode).toBeNull()
    // the room never took the forged clocks: a's own next change (a lower clock) is seen
    a.awareness.setLocalState({ name: 'a2' })
    await settle()
    expect(watcher.awareness.getStates().get(aId)).toEqual({ name: 'a2' })
    // nor did b come to own a's id: its leaving does not remove a
    b.disconnect()
    await settle()
    expect(watcher.awareness.getStates().get(aId)).toEqual({ name: 'a2' })
    expect(watcher.awareness.getStates().has(b.doc.clientID)).toBe(false)
  })

  it('§4.2 a stock client whose view timed a present person out does not remove them for everyone', async () => {
    const { client } = setup()
    const watcher = client('r1', { participant: 'w' })
    const a = client('r1', { name: 'a', participant: 'pa' })
    const stale = client('r1', { participant: 'ps' })
    await settle()
    // y-protocols' outdated check removes the state locally (same clock), and the client sends that on
    awarenessProtocol.removeAwarenessStates(stale.awareness, [a.doc.clientID], 'timeout')
    await settle()
    expect(stale.awareness.getStates().has(a.doc.clientID)).toBe(false)
    expect(watcher.awareness.getStates().get(a.doc.clientID)).toEqual({ name: 'a' })
  })

  it('§4.2 the same participant takes its id over from a dead socket; another participant never, not even once the owner left', async () => {
    const { client } = setup()
    const watcher = client('r1', { participant: 'w' })
    const old = client('r1', { name: 'x', participant: 'px' })
    const other = client('r1', { participant: 'po' })
    await settle()
    const id = old.doc.clientID
    old.socket.open = false // died silently
    const tab = client('r1', { participant: 'px' })
    await settle()
    other.sendRaw(awarenessFrame([{ id, clock: clockOf(watcher, id) + 1, state: { name: 'other' } }]))
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'x' })
    tab.sendRaw(awarenessFrame([{ id, clock: clockOf(watcher, id) + 1, state: { name: 'x2' } }]))
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'x2' })
    old.disconnect()
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'x2' })
    // the tab owns the id now: it may remove it (a second socket of the same participant may not)
    const sibling = client('r1', { participant: 'px' })
    await settle()
    sibling.sendRaw(awarenessFrame([{ id, clock: clockOf(watcher, id) + 1, json: 'null' }]))
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'x2' })
    tab.sendRaw(awarenessFrame([{ id, clock: clockOf(watcher, id) + 1, json: 'null' }]))
    await settle()
    expect(watcher.awareness.getStates().has(id)).toBe(false)
    // nobody owns it now, yet it stays the participant's: nobody else can squat it while they reconnect
    other.sendRaw(awarenessFrame([{ id, clock: clockOf(watcher, id) + 1, state: { name: 'x (fake)' } }]))
    await settle()
    expect(watcher.awareness.getStates().has(id)).toBe(false)
    const back = client('r1', { participant: 'px' })
    await settle()
    back.sendRaw(awarenessFrame([{ id, clock: clockOf(watcher, id) + 1, state: { name: 'x is back' } }]))
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'x is back' })
    expect(other.socket.closeCode).toBeNull()
  })

  it('§4.2 a stock reconnect (same participant, its state again at the same clock, then a change) keeps the person when the dead socket goes', async () => {
    const { client } = setup()
    const watcher = client('r1', { participant: 'w' })
    const old = client('r1', { name: 'x', participant: 'px' })
    await settle()
    const id = old.doc.clientID
    const c = clockOf(watcher, id)
    old.socket.open = false // died silently; the provider reconnects and re-sends its state unchanged
    const again = client('r1', { participant: 'px' })
    again.sendRaw(awarenessFrame([{ id, clock: c, state: { name: 'x' } }]))
    await settle()
    again.sendRaw(awarenessFrame([{ id, clock: c + 1, state: { name: 'x', cursor: 1 } }]))
    await settle()
    old.disconnect()
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'x', cursor: 1 })
    expect(again.socket.closeCode).toBeNull()
  })

  it('§4.2 §4.3 an update that removes and re-adds its own id keeps it owned: it leaves with its connection', async () => {
    const { client } = setup()
    const watcher = client('r1', { participant: 'w' })
    const a = client('r1', { name: 'a', participant: 'pa' })
    await settle()
    const id = a.doc.clientID
    const c = clockOf(watcher, id)
    a.sendRaw(awarenessFrame([{ id, clock: c + 1, json: 'null' }, { id, clock: c + 2, state: { name: 'a again' } }]))
    await settle()
    expect(watcher.awareness.getStates().get(id)).toEqual({ name: 'a again' })
    a.disconnect()
    await settle()
    expect(watcher.awareness.getStates().has(id)).toBe(false)
  })

  it('§3.3 an awareness clock above 2^52 is INVALID_AWARENESS (a state adopted at it would overflow its owner\'s next clock)', async () => {
    const { client } = setup()
    const watcher = client('r1')
    const c = client('r1')
    await settle()
    c.sendRaw(awarenessFrame([{ id: 4711, clock: 2 ** 52 + 1, state: { name: 'far ahead' } }]))
    await settle()
    expect(c.socket.closeCode).toBe(CloseCodes.INVALID_AWARENESS.code)
    expect(watcher.awareness.getStates().has(4711)).toBe(false)
  })
})

describe('§6 read-only', () => {
  it('§6.1 §6.2 a viewer is told, its updates are dropped, its awareness is shared, it receives edits', async () => {
    const { client, storage } = setup()
    const editor = client('r1')
    const viewer = client('r1', { readOnly: true, name: 'viewer' })
    await settle()
    expect(viewer.readOnlyNotices).toEqual([READ_ONLY_REASON])
    viewer.doc.getText('t').insert(0, 'nope')
    await settle()
    expect(editor.text()).toBe('')
    expect(storage.logs.get('r1') ?? []).toHaveLength(0)
    expect(viewer.conn.droppedUpdates).toBeGreaterThan(0)
    expect(editor.awareness.getStates().get(viewer.doc.clientID)).toEqual({ name: 'viewer' })
    editor.doc.getText('t').insert(0, 'yes ')
    await settle()
    expect(viewer.text()).toContain('yes ')
  })
})
