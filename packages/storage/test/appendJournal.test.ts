import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { decodeRecords, encodeRecord } from '../src/appendJournal'
import { openSqliteStorage } from '../src/index'
import { FLUSH_AT_UPDATES, FLUSH_DELAY_MS } from '../src/sqliteAppends'
import { journalFolder, rec, sleep } from './journalSupport'

describe('append journal records', () => {
  it('[1.7] round-trip byte-exact, rooms in UTF-8, empty and large updates', () => {
    const records = [rec(1), rec(2, 'kamer-ë', [new Uint8Array(0), new Uint8Array(70_000).fill(9)]), rec(3)]
    const bytes = Buffer.concat(records.map(encodeRecord))
    const out = decodeRecords(bytes)
    expect(out.validBytes).toBe(bytes.length)
    expect(out.records).toEqual(records)
  })

  it('[1.7] room names are encoded once and kept apart: many rooms, repeats, a long name, one too long', () => {
    // more rooms than the name cache keeps (it starts again), each twice, and names past its size limit
    const rooms = [...Array.from({ length: 300 }, (_, i) => `kamer-${i}-ë`), 'x'.repeat(2000), 'é'.repeat(30_000)]
    const records = [...rooms, ...rooms].map((room, i) => rec(i + 1, room))
    const out = decodeRecords(Buffer.concat(records.map(encodeRecord)))
    expect(out.records.map((r) => r.room)).toEqual(records.map((r) => r.room))
    expect(() => encodeRecord(rec(1, 'é'.repeat(40_000)))).toThrow(RangeError) // 80,000 bytes
    expect(() => encodeRecord(rec(1, 'é'.repeat(40_000)))).toThrow(RangeError) // still, the second time
  })

  it('[1.7] reading stops at a record cut short or damaged: the whole ones before it are kept', () => {
    const [a, b, c] = [rec(1), rec(2), rec(3)].map(encodeRecord) as [Buffer, Buffer, Buffer]
    const cut = decodeRecords(Buffer.concat([a, b, c.subarray(0, c.length - 1)]))
    expect(cut.records.map((r) => r.seq)).toEqual([1, 2])
    expect(cut.validBytes).toBe(a.length + b.length)
    const damaged = Buffer.concat([a, b, c])
    damaged[a.length + 12] ^= 0xff // a byte inside b's payload
    expect(decodeRecords(damaged).records.map((r) => r.seq)).toEqual([1])
    expect(decodeRecords(Buffer.alloc(64)).records).toEqual([]) // zeros after an OS crash: no record
  })

  it('[1.2] a batch holding anything but bytes is refused whole', () => {
    expect(() => encodeRecord(rec(1, 'r', [new Uint8Array([1]), 'x' as unknown as Uint8Array]))).toThrow(TypeError)
  })
})

describe('sqlite appends through the journal', () => {
  const { dir, db, journals, rows } = journalFolder()

  it('[1.7] an append is journaled at once and in the table within the flush delay, several in one transaction', async () => {
    const s = await openSqliteStorage(db())
    try {
      expect(journals()).toHaveLength(1)
      await s.appendUpdates('a', [new Uint8Array([1])])
      await s.appendUpdates('b', [new Uint8Array([2]), new Uint8Array([3])])
      expect(rows(s)).toEqual([]) // not in the table yet…
      const file = join(dir(), journals()[0]!)
      expect(decodeRecords(readFileSync(file)).records.map((r) => r.room)).toEqual(['a', 'b']) // …but on disk
      await sleep(FLUSH_DELAY_MS + 50)
      expect(rows(s)).toEqual(['a', 'b', 'b'])
      const mark = s.db.prepare('SELECT flushed_seq AS s FROM append_journals').get() as { s: number }
      expect(mark.s).toBe(2)
    } finally {
      await s.close()
    }
    expect(journals()).toEqual([]) // close moved everything and removed the journal
  })

  it('[1.7] 128 waiting updates move on the next turn, however small (not a second later)', async () => {
    const s = await openSqliteStorage(db())
    try {
      for (let i = 0; i < FLUSH_AT_UPDATES - 1; i++) await s.appendUpdates('r', [new Uint8Array([i & 0xff])])
      await sleep(20) // far less than the flush delay
      expect(rows(s)).toHaveLength(0)
      await s.appendUpdates('r', [new Uint8Array([1])])
      await sleep(20)
      expect(rows(s)).toHaveLength(FLUSH_AT_UPDATES)
    } finally {
      await s.close()
    }
  })

  it('[1.7] 256 KiB waiting move on the next turn; a journal past 4 MiB starts again once all of it is in the table', async () => {
    const s = await openSqliteStorage(db())
    try {
      const file = join(dir(), journals()[0]!)
      const big = new Uint8Array(64 * 1024).fill(7)
      for (let i = 0; i < 4; i++) await s.appendUpdates('r', [big])
      await sleep(5) // far less than the flush delay; its timer fires first
      expect(rows(s)).toHaveLength(4)
      for (let i = 0; i < 64; i++) {
        await s.appendUpdates('r', [big])
        if (i % 4 === 3) await sleep(1)
      }
      expect(await s.countUpdates('r')).toBe(68) // 4.25 MiB through the journal, all moved
      expect(statSync(file).size).toBeLessThan(4 * 1024 * 1024)
      await s.appendUpdates('r', [new Uint8Array([1])])
      // what a replay would move now: exactly the one append not in the table
      const mark = (s.db.prepare('SELECT flushed_seq AS s FROM append_journals').get() as { s: number }).s
      const pending = decodeRecords(readFileSync(file)).records.filter((r) => r.seq > mark)
      expect(pending.map((r) => Array.from(r.updates[0]!))).toEqual([[1]])
    } finally {
      await s.close()
    }
  })

  it('[1.7] every read and transaction sees the appends made before it', async () => {
    const s = await openSqliteStorage(db())
    try {
      await s.appendUpdates('r', [new Uint8Array([1]), new Uint8Array([2])])
      expect(rows(s)).toEqual([])
      expect((await s.loadRoom('r')).map((u) => Array.from(u))).toEqual([[1], [2]])
      await s.appendUpdates('r', [new Uint8Array([3])])
      expect(await s.countUpdates('r')).toBe(3)
      await s.appendUpdates('r', [new Uint8Array([4])])
      expect(await s.deleteRoom('r')).toBe(4)
    } finally {
      await s.close()
    }
  })

  it('[1.7] a journal left by a stopped process is replayed once, skipping what it had moved, then deleted', async () => {
    const s = await openSqliteStorage(db())
    await s.close()
    // what a killed handle leaves: records 1–3 moved (its mark says 3), 4–5 only journaled, then a cut record
    const name = 'x.db-appends-999999999-dead1.log'
    const raw = new Database(db())
    raw.prepare('INSERT INTO updates (room, data, created_at) VALUES (?, ?, 0)').run('r', Buffer.from([1, 1, 2]))
    raw.prepare('INSERT INTO append_journals (journal, flushed_seq) VALUES (?, 1)').run(name)
    raw.close()
    const tail = encodeRecord(rec(4))
    writeFileSync(join(dir(), name), Buffer.concat([encodeRecord(rec(1)), encodeRecord(rec(2)), encodeRecord(rec(3)), tail.subarray(0, 9)]))
    const again = await openSqliteStorage(db())
    try {
      expect((await again.loadRoom('r')).map((u) => u[0])).toEqual([1, 2, 3])
      expect(existsSync(join(dir(), name))).toBe(false)
      expect(again.db.prepare('SELECT journal FROM append_journals').all()).toEqual([])
    } finally {
      await again.close()
    }
  })

  it.skipIf(process.platform !== 'linux')('[1.7] a journal whose pid now belongs to another process is replayed; one of a running process is left alone', async () => {
    const startOf = (pid: number) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!
    }
    const s = await openSqliteStorage(db())
    const own = journals()[0]!
    expect(own).toMatch(new RegExp(`-appends-${process.pid}\\.${startOf(process.pid)}-[a-z0-9]+\\.log$`))
    await s.close()
    const ppid = process.ppid // runs, and is not this process
    const reused = `x.db-appends-${ppid}.${Number(startOf(ppid)) + 1}-dead4.log` // a killed server's pid, now another process's
    const live = `x.db-appends-${ppid}.${startOf(ppid)}-live1.log`
    writeFileSync(join(dir(), reused), encodeRecord(rec(1)))
    writeFileSync(join(dir(), live), encodeRecord(rec(2)))
    const again = await openSqliteStorage(db())
    try {
      expect((await again.loadRoom('r')).map((u) => u[0])).toEqual([1])
      expect(existsSync(join(dir(), reused))).toBe(false)
      expect(existsSync(join(dir(), live))).toBe(true)
    } finally {
      await again.close()
    }
  })

  it('[1.7] a second handle leaves the live journal of the first alone (nothing moved twice)', async () => {
    const first = await openSqliteStorage(db())
    await first.appendUpdates('r', [new Uint8Array([1])])
    const second = await openSqliteStorage(db())
    try {
      expect(journals()).toHaveLength(2)
      await first.close()
      expect((await second.loadRoom('r')).map((u) => u[0])).toEqual([1])
    } finally {
      await second.close()
    }
  })

})
