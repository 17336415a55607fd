// The load generator's WebSocket client: a bare TCP socket with just enough RFC 6455 for a bench
// against 127.0.0.1 (binary frames, ping → pong, close). Much lighter than `ws` per received
// frame: no stream machinery, no per-message Buffer, no events; frames are handed over as
// (chunk, start, end) views of the bytes read. Not a general client: no fragmentation, no
// extensions, the Sec-WebSocket-Accept header is not checked.
import net from 'node:net'

const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='

function frame(opcode, payload) {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const out = Buffer.allocUnsafe(head + 4 + n)
  out[0] = 0x80 | opcode
  if (n < 126) out[1] = 0x80 | n
  else if (n < 65536) {
    out[1] = 0x80 | 126
    out.writeUInt16BE(n, 2)
  } else {
    out[1] = 0x80 | 127
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2)
    out.writeUInt32BE(n >>> 0, 6)
  }
  // a client must mask; the all-zero key is a valid key and leaves the payload as it is
  out.writeUInt32BE(0, head)
  out.set(payload, head + 4)
  return out
}

/** A binary client frame, ready to write as many times as needed. */
export const maskedFrame = (payload) => frame(0x2, payload)

export class RawWs {
  /** handlers: open(), frame(buf, start, end), error(err), close(code) */
  constructor(url, handlers) {
    const u = new URL(url)
    this.h = handlers
    this.state = 0 // 0 handshake, 1 open, 2 closed
    this.rest = null
    this.closeCode = 1006
    const s = (this.socket = net.connect({ host: u.hostname, port: Number(u.port) }))
    s.setNoDelay(true)
    s.on('connect', () =>
      s.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    )
    s.on('data', (chunk) => this.onData(chunk))
    s.on('error', (err) => this.h.error(err))
    s.on('close', () => {
      this.state = 2
      this.h.close(this.closeCode)
    })
  }

  isOpen() {
    return this.state === 1
  }

  /** A frame from maskedFrame(). */
  send(f) {
    if (this.state === 1) this.socket.write(f)
  }

  sendPayload(payload) {
    if (this.state === 1) this.socket.write(frame(0x2, payload))
  }

  destroy() {
    this.state = 2
    this.socket.destroy()
  }

  onData(chunk) {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk
    this.rest = null
    let pos = 0
    if (this.state === 0) {
      const end = buf.indexOf('\r\n\r\n')
      if (end < 0) {
        this.rest = buf
        return
      }
      const head = buf.toString('latin1', 0, end)
      if (!head.startsWith('HTTP/1.1 101')) {
        this.h.error(new Error(`upgrade refused: ${head.split('\r\n')[0]}`))
        this.socket.destroy()
        return
      }
      this.state = 1
      pos = end + 4
      this.h.open()
    }
    while (this.state === 1) {
      const avail = buf.length - pos
      if (avail < 2) break
      const b1 = buf[pos + 1]
      let len = b1 & 0x7f
      let hdr = 2
      if (len === 126) {
        if (avail < 4) break
        len = buf.readUInt16BE(pos + 2)
        hdr = 4
      } else if (len === 127) {
        if (avail < 10) break
        len = buf.readUInt32BE(pos + 2) * 2 ** 32 + buf.readUInt32BE(pos + 6)
        hdr = 10
      }
      if (b1 & 0x80) hdr += 4 // servers do not mask; tolerated, not unmasked
      if (avail < hdr + len) break
      const start = pos + hdr
      const end = start + len
      const op = buf[pos] & 0x0f
      pos = end
      if (op === 0x2) this.h.frame(buf, start, end)
      else if (op === 0x9) this.socket.write(frame(0xa, buf.subarray(start, end)))
      else if (op === 0x8) {
        this.closeCode = len >= 2 ? buf.readUInt16BE(start) : 1005
        this.socket.write(frame(0x8, buf.subarray(start, Math.min(end, start + 2))))
        this.socket.end()
        this.state = 2
      }
    }
    if (this.state === 1 && pos < buf.length) this.rest = buf.subarray(pos)
  }
}
