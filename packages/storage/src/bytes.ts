/** Bytes between the drivers (Buffers) and the Storage API (plain Uint8Arrays). */

/** A view on the same bytes, typed as a plain Uint8Array (drivers hand out Buffers). */
export function toU8(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** A Buffer view on the same bytes (drivers want Buffers). */
export function toBuf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)
}

/** A Buffer view, or null for a missing optional part. */
export function toBufOrNull(u: Uint8Array | null): Buffer | null {
  return u ? toBuf(u) : null
}
