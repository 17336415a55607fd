import { describe, expect, it } from 'vitest'
import { bindStoreToDoc, pacedScheduler, syncScheduler, type Scheduler } from '../src/index.js'
import { Net, newStore, seed, note } from './helpers.js'

/** A fake clock, frame queue and timers: `frame()` runs what waits for the next frame; `advance` fires timers. */
function harness(opts: { share?: number; maxWaitMs?: number; next?: 'frame' | 'microtask' } = {}) {
  let t = 0
  let frames: (() => void)[] = []
  let timers: { at: number; run: () => void }[] = []
  const delays: number[] = []
  const next: Scheduler = opts.next === 'microtask' ? (run) => queueMicrotask(run) : (run) => void frames.push(run)
  const sched = pacedScheduler({
    share: opts.share,
    maxWaitMs: opts.maxWaitMs,
    next,
    now: () => t,
    delay: (run, ms) => {
      delays.push(ms)
      timers.push({ at: t + ms, run })
    },
  })
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve() // the microtasks a run queued (the second look at its time)
  }
  return {
    sched,
    delays,
    frame: async () => {
      const due = frames
      frames = []
      for (const f of due) f()
      await settle()
    },
    advance: async (ms: number) => {
      t += ms
      const due = timers.filter((x) => x.at <= t)
      timers = timers.filter((x) => x.at > t)
      for (const x of due) x.run()
      await settle()
    },
    spend: (ms: number) => () => void (t += ms),
    waiting: () => frames.length + timers.length,
  }
}

describe('pacedScheduler (rule 13: remote batches leave the page room)', () => {
  it('runs every frame while runs are short', async () => {
    const h = harness()
    let runs = 0
    for (let i = 0; i < 5; i++) {
      h.sched(() => {
        runs++
        h.spend(2)()
      })
      await h.frame()
      await h.advance(16) // the next frame is 16 ms later: more than the 2 ms the run asks for
    }
    expect(runs).toBe(5)
    expect(h.delays).toEqual([])
  })

  it('after a long run the next one waits as long again (share 0.5), then runs from the timer', async () => {
    const h = harness()
    const order: string[] = []
    h.sched(() => {
      order.push('a')
      h.spend(60)()
    })
    await h.frame()
    h.sched(() => order.push('b'))
    await h.frame() // comes up at once: held back for 60 ms
    expect(order).toEqual(['a'])
    expect(h.delays).toEqual([60])
    await h.advance(59)
    expect(order).toEqual(['a'])
    await h.advance(1)
    expect(order).toEqual(['a', 'b'])
    expect(h.waiting()).toBe(0)
  })

  it('two batches that come up in one frame: the second waits for the first', async () => {
    const h = harness()
    const order: string[] = []
    h.sched(() => {
      order.push('a')
      h.spend(40)()
    })
    h.sched(() => order.push('b'))
    await h.frame()
    expect(order).toEqual(['a'])
    expect(h.delays).toEqual([40])
    await h.advance(40)
    expect(order).toEqual(['a', 'b'])
  })

  it('a run scheduled by a run (the next chunk of a first load) is paced by the time taken so far', async () => {
    // the next run may come up before the microtask look at the time: the first look must hold it
    const h = harness({ next: 'microtask' })
    const order: string[] = []
    h.sched(() => {
      order.push('chunk 1')
      h.spend(30)()
      h.sched(() => order.push('chunk 2'))
    })
    await Promise.resolve()
    await Promise.resolve()
    expect(order).toEqual(['chunk 1'])
    expect(h.delays).toEqual([30])
    await h.advance(30)
    expect(order).toEqual(['chunk 1', 'chunk 2'])
  })

  it('counts the microtasks a run queued (a React render) into its time', async () => {
    const h = harness()
    h.sched(() => {
      h.spend(10)()
      queueMicrotask(h.spend(30)) // e.g. React rendering the change
    })
    await h.frame()
    h.sched(() => {})
    await h.frame()
    expect(h.delays).toEqual([40])
  })

  it('holds back at most maxWaitMs; a smaller share waits longer', async () => {
    const capped = harness({ maxWaitMs: 100 })
    capped.sched(capped.spend(500))
    await capped.frame()
    capped.sched(() => {})
    await capped.frame()
    expect(capped.delays).toEqual([100])

    const quarter = harness({ share: 0.25 })
    quarter.sched(quarter.spend(20))
    await quarter.frame()
    quarter.sched(() => {})
    await quarter.frame()
    expect(quarter.delays).toEqual([60])
  })

  it('a run that throws still paces the next one', async () => {
    const h = harness()
    h.sched(() => {
      h.spend(30)()
      throw new Error('apply failed')
    })
    await expect(h.frame()).rejects.toThrow('apply failed')
    h.sched(() => {})
    await h.frame()
    expect(h.delays).toEqual([30])
  })

  it('with the binding: remote changes arriving while a batch waits go into it; unbound, a waiting batch applies nothing', async () => {
    const h = harness()
    const net = new Net()
    const a = newStore(), b = newStore()
    seed(a)
    const docA = net.add(), docB = net.add()
    bindStoreToDoc(a, docA, { scheduler: syncScheduler })
    const ub = bindStoreToDoc(b, docB, { scheduler: syncScheduler, remoteScheduler: h.sched })
    a.put([note('n1')])
    await h.frame()
    await h.advance(16)
    let commits = 0
    b.listen(() => commits++, { source: 'remote', scope: 'document' })
    // a slow apply: the next batch is held back for as long
    b.listen(h.spend(50), { source: 'remote', scope: 'document' })
    a.update('shape:n1' as any, (r: any) => ({ ...r, x: 1 }))
    await h.frame()
    expect(commits).toBe(1)
    for (let i = 2; i <= 20; i++) {
      a.update('shape:n1' as any, (r: any) => ({ ...r, x: i }))
      await h.frame()
      await h.advance(2)
    }
    expect(commits).toBe(1) // all waiting, in one batch
    await h.advance(20)
    expect(commits).toBe(2)
    expect((b.get('shape:n1' as any) as any).x).toBe(20)
    // the next batch waits again; unbound meanwhile, it applies nothing
    a.update('shape:n1' as any, (r: any) => ({ ...r, x: 99 }))
    await h.frame()
    ub()
    await h.advance(250)
    expect(commits).toBe(2)
    expect((b.get('shape:n1' as any) as any).x).toBe(20)
  })
})
