/**
 * [1.6] The WAL checkpoint runs on a worker's connection (its fsyncs off the main thread); while
 * it runs this handle's statements wait, in order; a worker that cannot start leaves the
 * checkpoint to the main thread.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openSqliteStorage, openStorage, type SqliteStorage, type SqliteStorageOptions } from '../src/index'
import { FLUSH_AT_UPDATES } from '../src/sqliteAppends'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function open(opts: SqliteStorageOptions = {}): Promise<{ s: SqliteStorage; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'copboard-wal-'))
  dirs.push(dir)
  const file = join(dir, 'copboard.db')
  return { s: await openSqliteStorage(file, opts), file }
}

/** Appends and moves them into the table: their pages are in the WAL only (no automatic checkpoint). */
async function fillWal(s: SqliteStorage, rooms: number, prefix = 'room'): Promise<void> {
  const update = new Uint8Array(4096).fill(3)
  for (let r = 0; r < rooms; r++) await s.appendUpdates(`${prefix}-${r}`, [update, update])
  expect(await s.countUpdates(`${prefix}-0`)).toBe(2) // a read moves the journaled appends first
}

const size = (f: string) => statSync(f).size

const here = dirname(fileURLToPath(import.meta.url))

/** Runs fixtures/checkpointChild.ts; resolves with its exit code and output, or 'hung' after `limitMs`. */
function runChild(dir: string, mode: 'close' | 'no-close', limitMs = 15_000): Promise<{ code: number | null | 'hung'; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'checkpointChild.ts'), dir, mode], {
    cwd: join(here, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ code: 'hung', out })
    }, limitMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, out })
    })
  })
}

describe('[1.6] WAL checkpoint on a worker', () => {
  it('copies the WAL into the database on the worker; statements made meanwhile wait and keep their order', async () => {
    const { s, file } = await open()
    try {
      await fillWal(s, 50)
      const before = size(file)
      const checkpoint = s.checkpointWal()
      // made while the worker copies: they run after it, in the order they were made
      const order: string[] = []
      void checkpoint.then(() => order.push('checkpoint'))
      const deleted = s.deleteRoom('room-1').then((n) => (order.push('delete'), n))
      const appended = s.appendUpdates('room-2', [new Uint8Array([9])]) // the journal: never waits
      const counted = s.countUpdates('room-1').then((n) => (order.push('count'), n))
      const counted2 = s.countUpdates('room-2').then((n) => (order.push('count 2'), n))
      expect(await checkpoint).toBe('worker')
      expect(await deleted).toBe(2)
      await appended
      expect(await counted).toBe(0) // the deletion made before it
      expect(await counted2).toBe(3) // the append made before it
      expect(order).toEqual(['checkpoint', 'delete', 'count', 'count 2'])
      // the pages the appends wrote are in the database file now
      expect(size(file)).toBeGreaterThan(before + 50 * 2 * 4096 * 0.9)
    } finally {
      await s.close()
    }
  })

  it('moves wait for a checkpoint in progress, once per checkpoint (not once per timer that fires meanwhile), and resume at its end', async () => {
    const { s } = await open()
    try {
      // a checkpoint that runs until the test ends it (the handle asks its checkpointer for it)
      let release!: () => void
      let running = true
      const checkpoint = new Promise<void>((r) => (release = r))
      const waits = vi.spyOn(checkpoint, 'then')
      Object.defineProperty((s as unknown as { sql: { checkpoints: object } }).sql.checkpoints, 'inProgress', { get: () => (running ? checkpoint : null) })
      const rows = () => (s.db.prepare("SELECT count(*) AS n FROM updates WHERE room = 'busy'").get() as { n: number }).n
      // three bursts past the 128 that move on the next turn, each followed by a turn for the timer
      for (let burst = 0; burst < 3; burst++) {
        for (let i = 0; i < FLUSH_AT_UPDATES; i++) await s.appendUpdates('busy', [new Uint8Array([i & 0xff])])
        await new Promise((r) => setTimeout(r, 10))
      }
      expect(rows()).toBe(0) // nothing moved during the checkpoint…
      expect(waits).toHaveBeenCalledTimes(1) // …and one wait for its end, not one per burst
      running = false
      release()
      const deadline = Date.now() + 3000 // past the 1 s delay: what matters is that they move at all
      while (rows() < 3 * FLUSH_AT_UPDATES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
      expect(rows()).toBe(3 * FLUSH_AT_UPDATES)
    } finally {
      await s.close()
    }
  })

  it('a worker that cannot start: the main thread checkpoints, with one warning', async () => {
    const warnings: string[] = []
    const logger = { info: () => {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) }
    const { s, file } = await open({ logger, checkpoint: { workerSqliteModule: join(tmpdir(), 'no-such-sqlite-module.cjs') } })
    try {
      await fillWal(s, 20)
      const before = size(file)
      expect(await s.checkpointWal()).toBe('main thread')
      expect(size(file)).toBeGreaterThan(before + 20 * 2 * 4096 * 0.9)
      await fillWal(s, 30, 'more')
      expect(await s.checkpointWal()).toBe('main thread') // no new worker, no new warning
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(/WAL checkpoint worker (failed|exited).*checkpointed on the main thread/)
    } finally {
      await s.close()
    }
  })

  it('close during a checkpoint: the checkpoint finishes, the database closes, nothing is lost', async () => {
    const { s, file } = await open()
    await fillWal(s, 20)
    const checkpoint = s.checkpointWal()
    await s.close()
    expect(await checkpoint).toBe('worker')
    expect(s.db.open).toBe(false)
    // reopened: everything is there
    const again = await openSqliteStorage(file)
    try {
      expect(await again.countUpdates('room-19')).toBe(2)
    } finally {
      await again.close()
    }
  })

  it('checkpointWorkerAtOpen: the thread starts at open (a server), and close ends it', async () => {
    const threads = () => readdirSync('/proc/self/task').length
    const settle = async (until: () => boolean) => {
      for (let waited = 0; !until() && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20))
    }
    // a storage opened the usual way first: whatever else opening starts (libuv's pool) is running
    const lazy = await open()
    await new Promise((r) => setTimeout(r, 200))
    const before = threads()
    const dir = mkdtempSync(join(tmpdir(), 'copboard-wal-'))
    dirs.push(dir)
    const s = (await openStorage({ dataDir: dir, checkpointWorkerAtOpen: true })) as SqliteStorage
    await settle(() => threads() > before)
    expect(threads()).toBeGreaterThan(before) // no write and no checkpoint yet
    expect(await s.checkpointWal()).toBe('worker')
    await s.close()
    await settle(() => threads() <= before)
    expect(threads()).toBeLessThanOrEqual(before)
    await lazy.s.close()
  })

  it('a statement made after a checkpoint ended sees the statements that waited for it', async () => {
    const { s } = await open()
    try {
      await fillWal(s, 5)
      const checkpoint = s.checkpointWal()
      const deleted = s.deleteRoom('room-1')
      await checkpoint
      expect(await s.countUpdates('room-1')).toBe(0)
      expect(await deleted).toBe(2)
    } finally {
      await s.close()
    }
  })

  it('a process ends by itself: after close (shutdown completes, nothing left to replay) and without close (the idle worker holds nothing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-wal-'))
    dirs.push(dir)
    const closed = await runChild(dir, 'close')
    expect(closed.out).toContain('checkpoint on the worker\nclosed\n')
    expect(closed.code).toBe(0)
    expect(readdirSync(dir).filter((f) => f.includes('-appends-'))).toEqual([]) // its journal was moved and removed
    const dir2 = mkdtempSync(join(tmpdir(), 'copboard-wal-'))
    dirs.push(dir2)
    const open = await runChild(dir2, 'no-close')
    expect(open.out).toContain('checkpoint on the worker\ndone\n')
    expect(open.code).toBe(0)
  })
})
