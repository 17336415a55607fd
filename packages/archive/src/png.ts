const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** A PNG file (its signature and room for the IHDR size): the browser's renders are checked with it. */
export function isPng(b: Uint8Array): boolean {
  return b.length > 24 && PNG_SIG.every((v, i) => b[i] === v)
}
