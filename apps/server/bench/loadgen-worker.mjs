// One thread of the load generator (plain JS: no loader in the measured path). Raw `ws` clients,
// pre-encoded frames (bench/wire.ts), no Yjs: a receiver reads only the header of an update
// (writer's client id + clock) and looks the send time up in memory shared by all threads.
import { parentPort, workerData } from 'node:worker_threads'
import WebSocket from 'ws'

const { dialect, sendTimes, firstClocks, maxSeq, writerBase, stride } = workerData
const clock = () => performance.timeOrigin + performance.now()

let clients = []
let latencies = new Float64Array(1 << 16)
let nLat = 0
let measuring = false
let timers = []
let dropped = 0
let sent = 0
const errors = []

function pushLatency(ms) {
  if (nLat === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2)
    bigger.set(latencies)
    latencies = bigger
  }
  latencies[nLat++] = ms
}

/** Reads a varuint at pos; returns [value, nextPos]. */
function varUint(buf, pos) {
  let num = 0
  let mult = 1
  for (;;) {
    const b = buf[pos++]
    num += (b & 0x7f) * mult
    if (b < 0x80) return [num, pos]
    mult *= 128
  }
}

function onFrame(c, buf) {
  let pos = 0
  if (dialect === 'hocuspocus') {
    const [len, p] = varUint(buf, 0)
    pos = p + len
  }
  const type = buf[pos]
  if (type === 0 || type === 4) {
    const sub = buf[pos + 1]
    if (sub === 0 && !c.spec.relay) c.ws.send(c.spec.step2)
    else if (sub === 1) markSynced(c)
    else if (sub === 2 && measuring) {
      let [, p] = varUint(buf, pos + 2) // update length
      let n
      ;[n, p] = varUint(buf, p) // clients
      if (n === 0) return
      ;[n, p] = varUint(buf, p) // structs
      const [client, p2] = varUint(buf, p)
      const [clk] = varUint(buf, p2)
      const w = client - writerBase
      if (w < 0 || w >= firstClocks.length) return
      const seq = (clk - firstClocks[w]) / stride
      if (seq < 0 || seq >= maxSeq) return
      const sent = sendTimes[w * maxSeq + seq]
      if (sent > 0) pushLatency(clock() - sent)
    }
  } else if (type === 1 && c.seen) {

    let [, p] = varUint(buf, pos + 1)
    let n
    ;[n, p] = varUint(buf, p)
    for (let i = 0; i < n; i++) {
      let id, len
      ;[id, p] = varUint(buf, p)
      ;[, p] = varUint(buf, p) // clock
      ;[len, p] = varUint(buf, p)
      p += len
      if (id !== c.spec.ownId) c.seen.add(id)
    }
    if (c.awarenessDoneAt === 0 && c.seen.size >= c.spec.expectAwareness) c.awarenessDoneAt = clock()
  }
}

function markSynced(c) {
  if (c.syncedAt) return
  c.syncedAt = clock()
  c.resolve()
}

function open(spec) {
  const c = { spec, ws: null, syncedAt: 0, awarenessDoneAt: 0, seen: spec.expectAwareness ? new Set() : null, closing: false, awClock: 0 }
  const done = new Promise((resolve, reject) => {
    c.resolve = resolve
    const ws = new WebSocket(spec.url, { perMessageDeflate: false })
    c.ws = ws
    ws.binaryType = 'nodebuffer'
    ws.on('open', () => {
      if (spec.auth) ws.send(spec.auth)
      // the floor relays frames to everyone: a sync handshake there would be N² noise
      if (!spec.relay) ws.send(spec.step1)
      if (spec.awareness) ws.send(spec.awareness[0])
      if (spec.setup) ws.send(spec.setup)
      if (spec.relay) markSynced(c) // the floor has no sync protocol
    })
    ws.on('message', (data) => onFrame(c, data))
    ws.on('error', (err) => {
      if (!c.syncedAt) reject(err)
    })
    ws.on('close', (code) => {
      if (!c.syncedAt) reject(new Error(`closed ${code} before synced`))
      else if (!c.closing) {
        dropped++
        if (errors.length < 5) errors.push(`dropped: close ${code}`)
      }
    })
  })
  c.done = done
  return c
}

function start(period) {
  measuring = true
  nLat = 0
  sent = 0
  for (const c of clients) {
    const { writer, awareness } = c.spec
    if (writer) {
      let k = 0
      const tick = () => {
        if (k >= writer.moves.length || c.ws.readyState !== WebSocket.OPEN) return
        sendTimes[writer.index * maxSeq + k] = clock()
        c.ws.send(writer.moves[k++])
        sent++
      }
      const t = setTimeout(() => {
        tick()
        timers.push(setInterval(tick, period))
      }, writer.phaseMs)
      timers.push(t)
    }
    if (awareness && c.spec.renewMs) {
      // y-protocols renews a client's state every 15 s; pre-encoded frames with rising clocks
      const t = setTimeout(() => {
        const renew = () => {
          c.awClock++
          if (c.awClock < awareness.length && c.ws.readyState === WebSocket.OPEN) c.ws.send(awareness[c.awClock])
        }
        renew()
        timers.push(setInterval(renew, c.spec.renewMs))
      }, c.spec.renewPhaseMs ?? 0)
      timers.push(t)
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
      })
    } else if (m.t === 'ping') {
      parentPort.postMessage({ t: 'pong' })
    } else if (m.t === 'start') {
      start(m.period)
    } else if (m.t === 'stop') {
      stopTimers()
    } else if (m.t === 'report') {
      measuring = false
      const out = latencies.slice(0, nLat)
      parentPort.postMessage({ t: 'report', latencies: out, dropped, sent, errors: errors.splice(0) }, [out.buffer])
    } else if (m.t === 'close') {
      stopTimers()
      for (const c of clients) {
        c.closing = true
        c.ws.terminate()
      }
      clients = []
      dropped = 0
      parentPort.postMessage({ t: 'closed' })
    }
  } catch (err) {
    parentPort.postMessage({ t: 'error', message: String(err?.stack ?? err) })
  }
})
