import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mergeLog, OFF_THREAD_FROM_BYTES } from '../src/model/mergeLog'

/** A board-sized log: `notes` records written by three clients, then `moves` one-field edits. */
function boardLog(notes: number, moves: number): Uint8Array[] {
  const log: Uint8Array[] = []
  const docs = [1, 2, 3].map((id) => {
    const d = new Y.Doc()
    d.clientID = id
    d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && log.push(u))
    return d
  })
  for (let i = 0; i < notes; i++) {
    const rec = new Y.Map<unknown>([['x', i], ['y', -i], ['type', 'note'], ['text', `Notitie ${i} over de warmtetransitie in de wijk`]])
    docs[i % 3]!.getMap('records').set(`shape:${i}`, rec)
  }
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'sync')
  const base = Y.mergeUpdates(log.splice(0))
  for (let i = 0; i < moves; i++) (docs[i % 3]!.getMap('records').get(`shape:${i % notes}`) as Y.Map<unknown>).set('x', i * 2)
  return [base, ...log]
}

const bytes = (log: Uint8Array[]) => log.reduce((n, u) => n + u.byteLength, 0)

describe('[1.3] a large log is merged in a worker thread, a small one here', () => {
  it('gives exactly what Y.mergeUpdates gives, large or small', async () => {
    const large = boardLog(4000, 400)
    expect(bytes(large)).toBeGreaterThan(OFF_THREAD_FROM_BYTES)
    expect(Buffer.from(await mergeLog(large)).equals(Buffer.from(Y.mergeUpdates(large)))).toBe(true)
    const small = boardLog(300, 400)
    expect(bytes(small)).toBeLessThan(OFF_THREAD_FROM_BYTES)
    expect(Buffer.from(await mergeLog(small)).equals(Buffer.from(Y.mergeUpdates(small)))).toBe(true)
  }, 60_000)

  it('the event loop keeps turning while a large log is merged', async () => {
    const log = boardLog(4000, 500)
    expect(bytes(log)).toBeGreaterThan(OFF_THREAD_FROM_BYTES)
    let done = false
    const merging = mergeLog(log).then((m) => {
      done = true
      return m
    })
    // merged on this thread, the call would return only after the whole merge: zero turns
    let turns = 0
    while (!done) {
      await new Promise((r) => setImmediate(r))
      turns++
    }
    expect(turns).toBeGreaterThan(10)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await merging)
    expect(doc.getMap('records').size).toBe(4000)
    expect((doc.getMap('records').get('shape:7') as Y.Map<unknown>).get('x')).toBe(14) // its one move
  }, 60_000)

  it.runIf(process.platform === 'linux')('the worker thread runs at the lowest priority (nice 19): the main thread goes first', async () => {
    await mergeLog(boardLog(4000, 10)) // the worker is alive for a while after a job
    const nice = readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]))
    expect(nice.filter((n) => n === 19)).toHaveLength(1)
    expect(nice.filter((n) => n === 0).length).toBeGreaterThan(1) // this thread and the others
  }, 60_000)

  it('a malformed entry fails the merge (the compaction keeps the log as it is)', async () => {
    await expect(mergeLog([new Uint8Array([1, 2, 3, 255, 255]), new Uint8Array([9, 9, 9])])).rejects.toThrow()
    const junk = new Uint8Array(OFF_THREAD_FROM_BYTES).fill(255)
    await expect(mergeLog([junk, new Uint8Array([9, 9, 9])])).rejects.toThrow()
  })

  it('one entry is returned as it is', async () => {
    const [only] = boardLog(3, 0)
    expect(await mergeLog([only!])).toBe(only)
  })
})
