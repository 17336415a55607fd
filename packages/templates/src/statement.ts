/** The accord's core statement (SPEC rule 7): its placeholder and the hash of an endorsed version. */

/** FNV-1a 32-bit hash of the (trimmed) statement text, hex. Used to record which version was endorsed. */
export function statementHash(text: string): string {
  let h = 0x811c9dc5
  const s = text.trim()
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

/** The accord's statement before the facilitator writes it (the report treats it as not written). */
export const STATEMENT_PLACEHOLDER = {
  nl: 'Wij, gemeente en initiatieven, … (de procesbegeleider schrijft hier het kernstatement)',
  en: 'We, municipality and initiatives, … (the facilitator writes the core statement here)',
} as const
