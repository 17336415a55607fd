/**
 * [1.7] The SQLite backend's append journal: an append-only file beside the database that makes
 * an update durable against `kill -9` with one write(2), before it is broadcast. The updates are
 * moved into the `updates` table later, many per transaction (sqliteAppends.ts). A SQLite commit
 * (locks, b-tree pages, WAL frames) was the largest single cost of a delivered edit (issue 12:
 * 7.7 of 42 µs per delivery at 1 × 30, 0.3 ms of the 1.3 ms p50 latency).
 *
 * One journal per open storage handle, named `<db file>-appends-<pid>.<start>-<random>.log`
 * (`<start>`: the process's start time, Linux; without /proc `<pid>-<random>.log`): two handles
 * (or processes) never share one. A journal whose handle is gone (its process was killed: its
 * lock is free, journalLock.ts) is an orphan: the next open replays it into the table, skipping
 * what its handle had already moved (`append_journals.flushed_seq`), and deletes it.
 *
 * Record: u32 payload length · u32 CRC-32 of the payload · payload = f64 seq · u16 room length ·
 * room (UTF-8) · f64 time (ms) · u32 count · count × (u32 length · update). A record cut short by
 * a kill, or any bytes after it, fail the length or CRC check: reading stops there (such a
 * record's append never resolved: its write(2) had not returned).
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import { JournalLock, lockHeld, lockPathOf, removeLockIfFree } from './journalLock'

export interface JournalRecord {
  seq: number
  room: string
  /** When the append was made (the row's created_at). */
  at: number
  updates: Uint8Array[]
}

const HEADER = 8

/** Room names as UTF-8, for the few rooms an instance serves (encoding one per append was ~15 % of an append's CPU, issue 12). */
const roomBytesCache = new Map<string, Buffer>()
const ROOM_BYTES_CACHED = 256
/** Longer names are encoded per append (room ids are ~22 bytes): the cache stays under 256 KiB. */
const ROOM_BYTES_CACHED_MAX = 1024

function roomBytes(room: string): Buffer {
  let bytes = roomBytesCache.get(room)
  if (!bytes) {
    const encoded = Buffer.from(room, 'utf8')
    if (encoded.length > ROOM_BYTES_CACHED_MAX) return encoded
    // its own memory: a short Buffer.from is a slice of an 8 KiB pool, which the cache would keep
    bytes = Buffer.allocUnsafeSlow(encoded.length)
    bytes.set(encoded)
    if (roomBytesCache.size >= ROOM_BYTES_CACHED) roomBytesCache.clear()
    roomBytesCache.set(room, bytes)
  }
  return bytes
}

/** One record's bytes; a batch that cannot be stored (not bytes, a room name too long) is refused here, before a byte is written. */
export function encodeRecord(r: JournalRecord): Buffer {
  if (typeof r.room !== 'string') throw new TypeError('the room name is not a string')
  const room = roomBytes(r.room)
  if (room.length > 0xffff) throw new RangeError(`room name of ${room.length} bytes: at most 65535`)
  let size = HEADER + 8 + 2 + room.length + 8 + 4
  for (const u of r.updates) {
    // all or nothing (1.2): a batch with anything but bytes is refused before a byte is written
    if (!(u instanceof Uint8Array)) throw new TypeError(`update ${r.updates.indexOf(u)} of the batch is not a Uint8Array`)
    size += 4 + u.length
  }
  const buf = Buffer.allocUnsafe(size)
  let o = HEADER
  o = buf.writeDoubleLE(r.seq, o)
  o = buf.writeUInt16LE(room.length, o)
  buf.set(room, o)
  o += room.length
  o = buf.writeDoubleLE(r.at, o)
  o = buf.writeUInt32LE(r.updates.length, o)
  for (const u of r.updates) {
    o = buf.writeUInt32LE(u.length, o)
    buf.set(u, o)
    o += u.length
  }
  buf.writeUInt32LE(size - HEADER, 0)
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 4)
  return buf
}

/** The whole records of a journal's bytes, in order, up to the first cut or damaged one. */
export function decodeRecords(bytes: Buffer): { records: JournalRecord[]; validBytes: number } {
  const records: JournalRecord[] = []
  let at = 0
  while (bytes.length - at >= HEADER) {
    const len = bytes.readUInt32LE(at)
    if (len > bytes.length - at - HEADER) break
    const payload = bytes.subarray(at + HEADER, at + HEADER + len)
    if (crc32(payload) !== bytes.readUInt32LE(at + 4)) break
    const r = decodePayload(payload)
    if (!r) break
    records.push(r)
    at += HEADER + len
  }
  return { records, validBytes: at }
}

function decodePayload(p: Buffer): JournalRecord | null {
  try {
    let o = 0
    const seq = p.readDoubleLE(o)
    const roomLen = p.readUInt16LE((o += 8))
    const room = p.toString('utf8', (o += 2), o + roomLen)
    const time = p.readDoubleLE((o += roomLen))
    const count = p.readUInt32LE((o += 8))
    o += 4
    const updates: Uint8Array[] = []
    for (let i = 0; i < count; i++) {
      const n = p.readUInt32LE(o)
      if (o + 4 + n > p.length) return null
      // a copy: the file's buffer is not kept alive by one update
      updates.push(new Uint8Array(p.subarray(o + 4, o + 4 + n)))
      o += 4 + n
    }
    return o === p.length ? { seq, room, at: time, updates } : null
  } catch {
    return null // a read past the end (RangeError): not a record this code wrote
  }
}

/** The file operations the journal makes (tests inject failing ones). */
export interface JournalFs {
  write(fd: number, buf: Buffer): number
  truncate(fd: number, len: number): void
  unlink(path: string): void
}
const nodeFs: JournalFs = { write: (fd, buf) => writeSync(fd, buf), truncate: (fd, len) => ftruncateSync(fd, len), unlink: (path) => unlinkSync(path) }

/** Journals of open handles in this process (a second handle on the same database leaves them alone). */
const liveHere = new Set<string>()

/** This handle's journal file. Not thread-safe: one handle, one event loop. */
export class AppendJournal {
  /** The file's length: everything before it is whole records. */
  private size = 0
  private fd: number

  private readonly lock: JournalLock

  private constructor(
    readonly path: string,
    private readonly fs: JournalFs,
  ) {
    // the lock first: a scan never sees this journal without its owner's lock
    this.lock = JournalLock.hold(path)
    try {
      this.fd = openSync(path, 'ax') // O_APPEND | O_EXCL: a new file of our own
    } catch (err) {
      this.lock.release()
      removeFile(lockPathOf(path), fs)
      throw err
    }
    liveHere.add(path)
  }

  static create(dbPath: string, fs: JournalFs = nodeFs): AppendJournal {
    const random = Math.random().toString(36).slice(2, 10)
    const start = startTimeOf(process.pid)
    return new AppendJournal(`${journalPrefix(dbPath)}${process.pid}${start ? `.${start}` : ''}-${random}.log`, fs)
  }

  /** The journal's name in `append_journals`. */
  get name(): string {
    return basename(this.path)
  }

  get bytes(): number {
    return this.size
  }

  /** Set once a failed write could not be cut back: records written after its bytes would never be replayed. */
  private damaged = false

  /**
   * Writes one record (`encodeRecord`); once this returns it survives a crash of the process. On
   * failure the file is cut back to its last whole record (so later records stay readable) and the
   * error thrown; when even that fails, every later write fails too (the caller stops using it).
   */
  append(buf: Buffer): void {
    if (this.damaged) throw new Error(`the append journal ${this.path} ends in a partial record`)
    try {
      for (let done = 0; done < buf.length; ) done += this.fs.write(this.fd, done === 0 ? buf : buf.subarray(done))
    } catch (err) {
      try {
        this.fs.truncate(this.fd, this.size)
      } catch {
        this.damaged = true
      }
      throw err
    }
    this.size += buf.length
  }

  /** Someone deleted the file while it is open: what is written to it no longer survives a kill. */
  deleted(): boolean {
    return fstatSync(this.fd).nlink === 0
  }

  /** Everything in it is in the table: start the file again (keeps a long-lived journal small). */
  reset(): void {
    this.fs.truncate(this.fd, 0)
    this.size = 0
    this.damaged = false
  }

  /** Closes the file; `remove` deletes it (everything in it is in the table; already gone is fine). */
  close(remove: boolean): void {
    liveHere.delete(this.path)
    const fd = this.fd
    this.fd = -1 // once: a second close would close whatever file got the number next
    try {
      if (fd >= 0) closeSync(fd)
    } finally {
      this.lock.release()
      if (remove) removeJournal(this.path, this.fs)
    }
  }
}

function journalPrefix(dbPath: string): string {
  return `${dbPath}-appends-`
}

/** The journal files (and their lock files) beside `dbPath`: each one's path and its name after the prefix. */
function journalFiles(dbPath: string): { path: string; rest: string }[] {
  const dir = dirname(dbPath)
  const prefix = basename(journalPrefix(dbPath))
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({ path: join(dir, name), rest: name.slice(prefix.length) }))
}

/** Journals beside `dbPath` whose handle is gone: not open in this process, and nobody holds their lock (without a lock file: their process is not running). */
export function orphanJournals(dbPath: string): string[] {
  const out: string[] = []
  for (const { path, rest } of journalFiles(dbPath)) {
    const m = /^(\d+)(?:\.(\d+))?-[a-z0-9]+\.log$/.exec(rest)
    if (!m) continue
    if (liveHere.has(path)) continue
    const held = lockHeld(path)
    if (held === true) continue
    // no lock file (an older version's journal): its pid decides; our own pid but not open here
    // is an earlier process with the same pid (pid 1 in a container)
    const pid = Number(m[1])
    if (held === null && pid !== process.pid && processRuns(pid, m[2])) continue
    out.push(path)
  }
  return out
}

/** Lock files whose journal is gone and whose owner too (killed between the two files' deletions or creations). */
export function removeStrayLocks(dbPath: string, fs: JournalFs = nodeFs): void {
  for (const { path } of journalFiles(dbPath)) {
    if (!path.endsWith('.lock')) continue
    const journal = path.replace(/\.lock$/, '.log')
    if (!existsSync(journal)) removeLockIfFree(journal, (p) => removeFile(p, fs))
  }
}

/**
 * A process's start time (clock ticks since boot, /proc/<pid>/stat field 22); null without /proc.
 * With the pid it names one process: a pid alone is reused (after a reboot, or a restart in a
 * container), and a journal of a killed server was then left alone while the new holder of its
 * pid ran, its acknowledged edits missing from the board.
 */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null // after "(comm) ": field 3 on
  } catch {
    return null
  }
}

/** An orphan journal's whole records; null when it is gone (another process replayed it first). */
export function readJournal(path: string): JournalRecord[] | null {
  try {
    return decodeRecords(readFileSync(path)).records
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Deletes a journal whose records are all in the table, then its lock file (already gone: another process replayed it too, or someone deleted it). */
export function removeJournal(path: string, fs: JournalFs = nodeFs): void {
  removeFile(path, fs)
  removeFile(lockPathOf(path), fs)
}

function removeFile(path: string, fs: JournalFs): void {
  try {
    fs.unlink(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

/** The process that made a journal still runs: its pid does, and (when both are known) it started when that one did. */
function processRuns(pid: number, start: string | undefined): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false // EPERM: it runs, as another user
  }
  if (start === undefined) return true
  const now = startTimeOf(pid)
  return now === null || now === start
}
