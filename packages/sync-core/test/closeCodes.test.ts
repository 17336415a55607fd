import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { CloseCodes, closeCodeName } from '../src/index.js'

describe('close codes', () => {
  const entries = Object.entries(CloseCodes)

  it('are unique', () => {
    const codes = entries.map(([, c]) => c.code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('are documented: reason fits a close frame, description present, valid range', () => {
    for (const [name, c] of entries) {
      expect(c.reason.length, name).toBeGreaterThan(0)
      expect(new TextEncoder().encode(c.reason).length, name).toBeLessThanOrEqual(123)
      expect(c.description.length, name).toBeGreaterThan(20)
      const ok = (c.code >= 1000 && c.code <= 1014) || (c.code >= 4000 && c.code <= 4999)
      expect(ok, name).toBe(true)
      expect(closeCodeName(c.code)).toBe(name)
    }
  })

  it('client errors are 44xx (stock client stops reconnecting), transient server conditions 45xx', () => {
    expect(CloseCodes.SLOW_CONSUMER.code).toBeGreaterThanOrEqual(4500)
    expect(CloseCodes.STORAGE_UNAVAILABLE.code).toBeGreaterThanOrEqual(4500)
    for (const n of ['MALFORMED_MESSAGE', 'UNSUPPORTED_MESSAGE_TYPE', 'OVERLONG_VARINT', 'TEXT_FRAME', 'INVALID_UPDATE', 'INVALID_AWARENESS'] as const) {
      expect(Math.floor(CloseCodes[n].code / 100)).toBe(44)
    }
  })

  it('every code appears in SPEC.md', () => {
    const spec = readFileSync(new URL('../SPEC.md', import.meta.url), 'utf8')
    for (const [name, c] of entries) expect(spec, name).toContain(`${c.code}`)
  })
})
