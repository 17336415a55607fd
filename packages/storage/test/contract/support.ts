/** Shared by the contract parts: the backend under test and small helpers. */
import { expect } from 'vitest'
import * as Y from 'yjs'
import type { Storage } from '../../src/index'

export interface ContractBackend {
  /** Opens a (new connection to the) same database each call; runs migrations. */
  open(): Promise<Storage>
  /** Drops everything the backend created (temp dir, schema). */
  destroy(): Promise<void>
}

/** Filled in by the suite's beforeAll: the storage under test (one connection) and its backend. */
export interface ContractContext {
  s: Storage
  backend: ContractBackend
}

let roomCounter = 0
export const uniqueRoom = (label: string) => `room-${label}-${process.pid}-${Date.now().toString(36)}-${roomCounter++}`

export const bytes = (...xs: number[]) => new Uint8Array(xs)

/** A Y.Doc with a map, an array and a text, and the list of updates it emitted. */
export function makeEdits(n: number, clientID = 1): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const map = doc.getMap('m')
  const arr = doc.getArray<number>('a')
  const text = doc.getText('t')
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) map.set(`k${i % 17}`, i)
    else if (i % 3 === 1) arr.push([i])
    else text.insert(Math.min(text.length, i % 5), `x${i}`)
  }
  return { doc, updates }
}

export function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

export function expectSameDoc(a: Y.Doc, b: Y.Doc): void {
  expect(b.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON())
  expect(b.getArray('a').toJSON()).toEqual(a.getArray('a').toJSON())
  expect(b.getText('t').toString()).toEqual(a.getText('t').toString())
  expect(Buffer.from(Y.encodeStateVector(b)).equals(Buffer.from(Y.encodeStateVector(a)))).toBe(true)
  expect(b.store.pendingStructs).toBeNull()
}
