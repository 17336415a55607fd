/**
 * The pre-framed broadcast of plugins/syncSocket.ts (issue 12): a frame built once must be the
 * very bytes ws would have written for the same payload (RFC 6455 §5.2, unmasked server frame).
 */
import { describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import { binaryFrame } from '../src/plugins/syncSocket.js'

// ws's own framing (its Sender is a CommonJS export the ESM entry does not re-export)
const Sender = createRequire(import.meta.url)('ws').Sender as { frame(d: Buffer, o: object): Buffer[] }

function wsFrame(data: Uint8Array): Buffer {
  const parts = Sender.frame(Buffer.from(data), {
    fin: true,
    mask: false,
    opcode: 2,
    readOnly: true,
    rsv1: false,
  })
  return Buffer.concat(parts)
}

describe('binaryFrame', () => {
  it.each([0, 1, 45, 125, 126, 127, 65535, 65536, 70000])('frames %i bytes exactly as ws does', (n) => {
    const data = new Uint8Array(n)
    for (let i = 0; i < n; i++) data[i] = (i * 31) & 0xff
    expect(binaryFrame(data).equals(wsFrame(data))).toBe(true)
  })
})
