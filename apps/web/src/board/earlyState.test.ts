import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { EARLY_STATE_ORIGIN, readStateEarly, takeEarlyState } from './earlyState'

function boardState(text: string): Uint8Array {
  const d = new Y.Doc()
  d.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(d)
}

/** fetch answering `status` with `body` once `release` is called (at once without a gate). */
function serve(status: number, body: Uint8Array, gate?: Promise<void>) {
  const calls: { url: string; init: RequestInit }[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    await gate
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError')
    return new Response(status === 200 ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify({ error: 'TOKEN_INVALID' }), { status })
  })
  return calls
}
const settled = () => new Promise((r) => setTimeout(r, 20))

afterEach(() => {
  vi.unstubAllGlobals()
  takeEarlyState('') // forget a read a test left
})

describe('early read of a first visit (issue 12)', () => {
  it('reads GET /sync/<room> with the token as Bearer and applies it to the doc the board adopts', async () => {
    const calls = serve(200, boardState('bord'))
    readStateEarly('room-1', 'secret')
    await settled()
    expect(calls).toHaveLength(1)
    expect(calls[0].url).toBe('/sync/room-1')
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer secret')
    const origins: unknown[] = []
    const early = takeEarlyState('room-1')!
    early.doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    expect(early.doc.getText('t').toString()).toBe('bord')
    await early.settle(1000, 1000)
    // taken once
    expect(takeEarlyState('room-1')).toBeNull()
    expect(origins).toEqual([])
  })

  it('the state is applied with its own origin (not the provider\'s, not the cache\'s), also after the board adopted the doc', async () => {
    let release!: () => void
    serve(200, boardState('x'), new Promise<void>((r) => (release = r)))
    readStateEarly('room-o', 'secret')
    await settled()
    const early = takeEarlyState('room-o')!
    const seen: unknown[] = []
    early.doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(tr.origin))
    release()
    await early.settle(1000, 1000)
    expect(seen).toEqual([EARLY_STATE_ORIGIN])
    expect(early.doc.getText('t').toString()).toBe('x')
  })

  it('a refused read (401) leaves the doc empty and settles at once: the socket says why', async () => {
    serve(401, new Uint8Array())
    readStateEarly('room-2', 'bad')
    await settled()
    const early = takeEarlyState('room-2')!
    const t0 = Date.now()
    await early.settle(5000, 5000)
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(early.doc.share.size).toBe(0)
  })

  it('another room is not adopted, and its read is aborted', async () => {
    const calls = serve(200, boardState('ander'))
    readStateEarly('room-3', 'secret')
    await settled()
    expect(takeEarlyState('room-4')).toBeNull()
    expect((calls[0].init.signal as AbortSignal).aborted).toBe(true)
  })

  it('a server that does not answer in time: the board goes on, a late answer is not applied', async () => {
    let release!: () => void
    serve(200, boardState('te laat'), new Promise<void>((r) => (release = r)))
    readStateEarly('room-5', 'secret')
    await settled()
    const early = takeEarlyState('room-5')!
    await early.settle(30, 5000)
    release()
    await settled()
    expect(early.doc.getText('t').toString()).toBe('')
  })

  it('an answer whose body is on its way gets the longer wait (a big board on a slow line)', async () => {
    const body = boardState('groot bord')
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    vi.stubGlobal('fetch', async () => {
      // headers at once, the body later
      const stream = new ReadableStream({ async start(c) { await gate; c.enqueue(body); c.close() } })
      return new Response(stream, { status: 200 })
    })
    readStateEarly('room-6', 'secret')
    await settled()
    const early = takeEarlyState('room-6')!
    const done = early.settle(30, 5000)
    await new Promise((r) => setTimeout(r, 100))
    release()
    await done
    expect(early.doc.getText('t').toString()).toBe('groot bord')
  })

  it('a body that comes after the board stopped waiting is not applied, even from a fetch that ignores the abort', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    vi.stubGlobal('fetch', async () => {
      await gate
      return new Response(boardState('genegeerd') as Uint8Array<ArrayBuffer>, { status: 200 })
    })
    readStateEarly('room-7', 'secret')
    await settled()
    const early = takeEarlyState('room-7')!
    await early.settle(20, 20)
    release()
    await settled()
    expect(early.doc.getText('t').toString()).toBe('')
  })

  it('stop() (the board closed) aborts the read; a read no board takes is dropped after a minute', async () => {
    const calls = serve(200, boardState('x'), new Promise<void>(() => {}))
    readStateEarly('room-8', 'secret')
    await settled()
    const early = takeEarlyState('room-8')!
    early.stop()
    expect((calls[0].init.signal as AbortSignal).aborted).toBe(true)
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    try {
      readStateEarly('room-9', 'secret')
      vi.advanceTimersByTime(59_000)
      expect((calls[1].init.signal as AbortSignal).aborted).toBe(false)
      vi.advanceTimersByTime(1_001)
      expect((calls[1].init.signal as AbortSignal).aborted).toBe(true)
    } finally {
      vi.useRealTimers()
    }
    await settled()
    expect(takeEarlyState('room-9')).toBeNull()
  })
})
