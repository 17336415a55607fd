// One thread of the load generator (plain JS: no loader in the measured path). Its clients are raw
// TCP sockets speaking just enough WebSocket (bench/rawws.mjs): frames are pre-encoded and masked
// once at connect time, received frames are cut out of the byte stream without copying and only
// two kinds are read: a sync update's header (writer's client id + clock, for latency) and, when a
// client needs it, an awareness payload (storm: which client ids it saw; cursors: the movers' ids
// and clocks, for latency; echo: sent back as is).
import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { RawWs, maskedFrame } from './rawws.mjs'
import { LatencyLog, ThreadCpu } from './loadgen-stats.mjs'

const { dialect, sendTimes, firstClocks, maxSeq, writerBase, stride, cursorSendTimes, maxCursors, cursorBase } = workerData
const clock = () => performance.timeOrigin + performance.now()

let clients = []
const latencies = new LatencyLog(1 << 16)
/** Cursor moves: their latencies at the receivers that watch them, and how many were sent. */
const cursorLatencies = new LatencyLog(1 << 12)
let cursorMovesSent = 0
let measuring = false
let timers = []
let dropped = 0
let sent = 0
let planned = 0
/** How late the writers' sends were against their schedule (ms): the generator keeping up or not. */
let lagSum = 0
let lagMax = 0
let lagCount = 0
const errors = []
/** Frames received (all, awareness) and awareness frames sent back: what the server's fan-out cost the clients. */
let framesIn = 0
let awarenessIn = 0
const cpu = new ThreadCpu()

/** Reads a varuint at pos; returns the value and leaves the next position in `at`. */
let at = 0
function varUint(buf, pos) {
  let num = 0
  let mult = 1
  for (;;) {
    const b = buf[pos++]
    num += (b & 0x7f) * mult
    if (b < 0x80) {
      at = pos
      return num
    }
    mult *= 128
  }
}

// ---- received frames

function onFrame(c, buf, start, end) {
  framesIn++
  let pos = start
  if (dialect === 'hocuspocus') {
    const len = varUint(buf, pos)
    pos = at + len
  }
  const type = buf[pos]
  if (type === 0 || type === 4) {
    const sub = buf[pos + 1]
    if (sub === 2) {
      if (!measuring) return
      varUint(buf, pos + 2) // update length
      if (varUint(buf, at) === 0) return // clients
      varUint(buf, at) // structs
      const w = varUint(buf, at) - writerBase
      const clk = varUint(buf, at)
      // a server that sends a write back to its writer (yws, hocuspocus) made no delivery
      if (w < 0 || w >= firstClocks.length || w === c.writerIndex) return
      const seq = (clk - firstClocks[w]) / stride
      if (seq < 0 || seq >= maxSeq) return
      const t = sendTimes[w * maxSeq + seq]
      if (t > 0) latencies.push(clock() - t)
    } else if (sub === 0 && !c.spec.relay) c.ws.send(c.spec.step2)
    else if (sub === 1) markSynced(c)
  } else if (type === 1) {
    awarenessIn++
    // the stock y-websocket provider sends every awareness change it receives back (its
    // 'update' handler does not look at the origin); the room sees the same clocks again
    if (c.spec.echoAwareness) c.ws.sendPayload(buf.subarray(start, end))
    if (c.seen) countSeen(c, buf, pos + 1)
    if (measuring && c.spec.watchCursors) timeCursors(c, buf, pos + 1)
  }
}

/** Each cursor move in an awareness payload (move k: clock k + 2), timed against its send. */
function timeCursors(c, buf, pos) {
  varUint(buf, pos) // payload length
  const n = varUint(buf, at)
  let p = at
  const now = clock()
  for (let i = 0; i < n; i++) {
    const id = varUint(buf, p)
    const k = varUint(buf, at) - 2
    const len = varUint(buf, at)
    p = at + len
    const cursor = id - cursorBase
    if (cursor < 0 || cursor >= maxCursors || id === c.spec.ownId || k < 0 || k >= maxSeq) continue
    const t = cursorSendTimes[cursor * maxSeq + k]
    if (t > 0) cursorLatencies.push(now - t)
  }
}

function countSeen(c, buf, pos) {
  varUint(buf, pos) // payload length
  const n = varUint(buf, at)
  let p = at
  for (let i = 0; i < n; i++) {
    const id = varUint(buf, p)
    varUint(buf, at) // clock
    const len = varUint(buf, at)
    p = at + len
    if (id !== c.spec.ownId) c.seen.add(id)
  }
  if (c.awarenessDoneAt === 0 && c.seen.size >= c.spec.expectAwareness) c.awarenessDoneAt = clock()
}

function markSynced(c) {
  if (c.syncedAt) return
  c.syncedAt = clock()
  c.resolve()
}

function open(spec) {
  // frames masked once here, never while measuring
  for (const k of ['auth', 'step1', 'step2', 'setup']) if (spec[k]) spec[k] = maskedFrame(spec[k])
  if (spec.awareness) spec.awareness = spec.awareness.map(maskedFrame)
  if (spec.writer) spec.writer.moves = spec.writer.moves.map(maskedFrame)
  const c = { spec, ws: null, syncedAt: 0, awarenessDoneAt: 0, seen: spec.expectAwareness ? new Set() : null, closing: false, writerIndex: spec.writer?.index ?? -1 }
  c.done = new Promise((resolve, reject) => {
    c.resolve = resolve
    c.ws = new RawWs(spec.url, {
      open: () => {
        if (spec.auth) c.ws.send(spec.auth)
        // the floor relays frames to everyone: a sync handshake there would be N² noise
        if (!spec.relay) c.ws.send(spec.step1)
        if (spec.awareness) c.ws.send(spec.awareness[0])
        if (spec.setup) c.ws.send(spec.setup)
        if (spec.relay) markSynced(c) // the floor has no sync protocol
      },
      frame: (buf, pos, end) => onFrame(c, buf, pos, end),
      error: (err) => {
        if (!c.syncedAt) reject(err)
      },
      close: (code) => {
        if (!c.syncedAt) reject(new Error(`closed ${code} before synced`))
        else if (!c.closing) {
          dropped++
          if (errors.length < 5) errors.push(`dropped: close ${code}`)
        }
      },
    })
  })
  return c
}

// ---- the measured window: sends on an absolute schedule (a late timer does not shift the rest)

function every(firstAt, period, count, fn) {
  let k = 0
  const next = () => {
    if (k >= count) return
    const due = firstAt + k * period
    const now = performance.now()
    if (now < due) {
      timers.push(setTimeout(next, due - now))
      return
    }
    fn(k++, now - due)
    timers.push(setTimeout(next, Math.max(0, firstAt + k * period - performance.now())))
  }
  timers.push(setTimeout(next, Math.max(0, firstAt - performance.now())))
}

/** Per writer, its first move not sent yet (a measured window resumes after its warm-up). */
const nextMove = new Map()
/** Per client, its first awareness renewal not sent yet (the same for clocks: a repeated one changes nothing). */
const nextRenewal = new Map()

function start(period, seconds, resume = false) {
  measuring = true
  latencies.reset()
  cursorLatencies.reset()
  cursorMovesSent = 0
  sent = 0
  planned = 0
  lagSum = lagMax = lagCount = 0
  framesIn = awarenessIn = 0
  cpu.mark()
  const t0 = performance.now()
  for (const c of clients) {
    const { writer, awareness } = c.spec
    if (writer) {
      // resumed: from the writer's first unsent move (its moves are consecutive Yjs clocks, so a
      // skipped one would leave every later one pending at the server)
      const first = resume ? (nextMove.get(writer.index) ?? 0) : 0
      const count = Math.min(writer.moves.length - first, Math.ceil((seconds * 1000 - writer.phaseMs) / period))
      planned += count
      every(t0 + writer.phaseMs, period, count, (i, lag) => {
        if (!c.ws.isOpen()) return
        const k = first + i
        sendTimes[writer.index * maxSeq + k] = clock()
        c.ws.send(writer.moves[k])
        nextMove.set(writer.index, k + 1)
        sent++
        lagSum += lag
        lagCount++
        if (lag > lagMax) lagMax = lag
      })
    }
    if (awareness && c.spec.renewMs) {
      // y-protocols renews a client's state every 15 s (a cursor mover: every move); pre-encoded
      // frames with rising clocks
      const first = resume ? (nextRenewal.get(c) ?? 0) : 0
      const phase = c.spec.renewPhaseMs ?? 0
      const count = Math.min(awareness.length - 1 - first, Math.ceil((seconds * 1000 - phase) / c.spec.renewMs))
      const cursor = c.spec.cursorIndex
      every(t0 + phase, c.spec.renewMs, count, (i) => {
        if (!c.ws.isOpen()) return
        const k = first + i
        if (cursor !== undefined) {
          cursorSendTimes[cursor * maxSeq + k] = clock()
          cursorMovesSent++
        }
        c.ws.send(awareness[k + 1])
        nextRenewal.set(c, k + 1)
      })
    }
  }
}

function stopTimers() {
  for (const t of timers) clearTimeout(t)
  timers = []
}

parentPort.on('message', async (m) => {
  try {
    if (m.t === 'connect') {
      const batch = m.batch ?? 25
      let failed = 0
      for (let i = 0; i < m.clients.length; i += batch) {
        const opened = m.clients.slice(i, i + batch).map(open)
        clients.push(...opened)
        const results = await Promise.allSettled(opened.map((c) => c.done))
        for (const r of results) {
          if (r.status === 'rejected') {
            failed++
            if (errors.length < 5) errors.push(String(r.reason?.message ?? r.reason))
          }
        }
      }
      parentPort.postMessage({ t: 'connected', failed, errors: errors.splice(0) })
    } else if (m.t === 'waitAwareness') {
      // storm: until every client saw every other client's awareness (or the deadline)
      const deadline = Date.now() + m.timeoutMs
      while (Date.now() < deadline && clients.some((c) => c.seen && c.awarenessDoneAt === 0)) await new Promise((r) => setTimeout(r, 20))
      parentPort.postMessage({
        t: 'awareness',
        syncedAt: clients.map((c) => c.syncedAt),
        awarenessDoneAt: clients.map((c) => c.awarenessDoneAt),
        framesIn,
        awarenessIn,
      })
    } else if (m.t === 'ping') {
      parentPort.postMessage({ t: 'pong' })
    } else if (m.t === 'count') {
      parentPort.postMessage({ t: 'count', delivered: latencies.length + cursorLatencies.length, sent, cursorsSent: cursorMovesSent })
    } else if (m.t === 'mark') {
      cpu.mark()
      framesIn = awarenessIn = 0
      parentPort.postMessage({ t: 'marked' })
    } else if (m.t === 'cpu') {
      parentPort.postMessage({ t: 'cpu', ...cpu.sinceMark() })
    } else if (m.t === 'start') {
      start(m.period, m.seconds, m.resume)
    } else if (m.t === 'stop') {
      stopTimers()
    } else if (m.t === 'report') {
      measuring = false
      const out = latencies.take()
      const cursorOut = cursorLatencies.take()
      parentPort.postMessage(
        { t: 'report', latencies: out, cursorLatencies: cursorOut, cursorMovesSent, dropped, sent, planned, framesIn, awarenessIn, lagMeanMs: lagCount ? lagSum / lagCount : 0, lagMaxMs: lagMax, errors: errors.splice(0), ...cpu.sinceMark() },
        [out.buffer, cursorOut.buffer],
      )
    } else if (m.t === 'close') {
      stopTimers()
      nextMove.clear()
      nextRenewal.clear()
      for (const c of clients) {
        c.closing = true
        c.ws.destroy()
      }
      clients = []
      dropped = 0
      parentPort.postMessage({ t: 'closed' })
    }
  } catch (err) {
    parentPort.postMessage({ t: 'error', message: String(err?.stack ?? err) })
  }
})
