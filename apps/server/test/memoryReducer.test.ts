/** memoryReducer.ts: full collections once no room is loaded (issue 12, memory after room churn). */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IdleMemoryReducer } from '../src/memoryReducer.js'

afterEach(() => vi.useRealTimers())

describe('IdleMemoryReducer', () => {
  it('collects once the last room unloaded and none loaded for the delay; not while rooms are loaded', () => {
    vi.useFakeTimers()
    let loaded = 2
    const calls: string[] = []
    const collect = vi.fn(() => calls.push('collect'))
    const trim = vi.fn(() => calls.push('trim'))
    const reducer = new IdleMemoryReducer(() => loaded, { collect, trim, delayMs: 1000 })
    loaded = 1
    reducer.onRoomEvent({ type: 'unloaded', room: 'a' })
    vi.advanceTimersByTime(5000)
    expect(collect).not.toHaveBeenCalled()
    loaded = 0
    reducer.onRoomEvent({ type: 'unloaded', room: 'b' })
    vi.advanceTimersByTime(999)
    expect(collect).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(collect).toHaveBeenCalledTimes(3)
    // the freed pages go back once the collections freed the buffers on them
    expect(calls).toEqual(['collect', 'collect', 'collect', 'trim'])
    expect(reducer.reductions).toBe(1)
  })

  it('a room loading within the delay cancels the reduction', () => {
    vi.useFakeTimers()
    let loaded = 0
    const collect = vi.fn()
    const trim = vi.fn()
    const reducer = new IdleMemoryReducer(() => loaded, { collect, trim, delayMs: 1000 })
    reducer.onRoomEvent({ type: 'evicted', room: 'a', reason: 'lease lost' })
    loaded = 1
    reducer.onRoomEvent({ type: 'loaded', room: 'c', owned: false })
    vi.advanceTimersByTime(5000)
    expect(collect).not.toHaveBeenCalled()
    expect(trim).not.toHaveBeenCalled()
    expect(reducer.reductions).toBe(0)
  })

  it("V8's own collector is used by default (without --expose-gc on the command line)", async () => {
    const reducer = new IdleMemoryReducer(() => 0, { delayMs: 0 })
    let garbage: object | null = { big: new Array(1000).fill('x') }
    const ref = new WeakRef(garbage)
    garbage = null
    // a WeakRef's target lives until the end of the job that made it
    await new Promise((r) => setTimeout(r, 0))
    reducer.onRoomEvent({ type: 'unloaded', room: 'a' })
    await new Promise((r) => setTimeout(r, 10))
    expect(reducer.reductions).toBe(1)
    expect(ref.deref()).toBeUndefined()
  })
})
