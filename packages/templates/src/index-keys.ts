/** Fractional-index keys for a template's shapes, in z-order (tldraw's `index`). */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Valid, increasing fractional-index keys: a1..az, then b + two digits (3844 more). */
export function indexKey(i: number): string {
  const n = i + 1
  if (n < 62) return 'a' + DIGITS[n]
  const m = n - 62
  if (m >= 62 * 62) throw new Error('too many shapes for one template')
  return 'b' + DIGITS[Math.floor(m / 62)] + DIGITS[m % 62]
}
