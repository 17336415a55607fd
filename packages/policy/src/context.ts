/**
 * Who is asking (role + participant identity) and what the policy answers (SPEC.md §1).
 * Pure types: the server builds a PolicyContext from its connection context.
 */
export type PolicyRole = 'facilitator' | 'participant' | 'viewer'

export interface PolicyContext {
  role: PolicyRole
  /** base64url(sha256(secret))[0..22] of the connection (SPEC.md §6), null when the client sent none. */
  participantId: string | null
}

/**
 * Why an update was refused. The code travels to the client (`policy:<code>` in the y-protocols
 * permission-denied message) and picks the message the client shows.
 */
export const RefusalReasons = {
  'scaffold-locked': 'template scaffold shapes and their metadata are the facilitator\'s (§2)',
  'invalid-record': 'a record does not validate against the board\'s tldraw schema (§3.1)',
  'too-large': 'a record passes a size limit: points, rich text, props or record bytes (§3.2)',
  'anonymous-author': 'a shape in an anonymous zone carries author fields (§4)',
  'session-facilitator-only': 'session state is written by the facilitator only (§5.1)',
  'not-own-entry': 'a participant wrote a session entry keyed by another participant (§5.2)',
  'vote-rule': 'dots only while the vote is open, at most N per participant, on notes in the vote\'s scope (board S6.4)',
  'endorsement-rule': 'an endorsement names the current version of the statement and is never withdrawn (board S6.5)',
  'schema-newer': 'the update stamps a board schema this server does not know (§7)',
  'read-only': 'viewers change nothing (§1.3)',
  'invalid-update': 'the update could not be applied (sync-core)',
  'incomplete-update': 'the update depends on content the room does not have (sync-core)',
} as const

export type RefusalReason = keyof typeof RefusalReasons

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason; detail: string }

export const OK: Verdict = Object.freeze({ ok: true })

export function refuse(reason: RefusalReason, detail: string): Verdict {
  return { ok: false, reason, detail }
}

const ROLES: readonly PolicyRole[] = ['facilitator', 'participant', 'viewer']
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{22}$/

/**
 * The policy context from the connection's application data (`{ role, participantId }`, set by
 * the server's sync plugin). Anything unknown counts as the least privileged role.
 */
export function contextFromInfo(info: Readonly<Record<string, unknown>> | undefined): PolicyContext {
  const role = ROLES.includes(info?.role as PolicyRole) ? (info!.role as PolicyRole) : 'viewer'
  const pid = info?.participantId
  return { role, participantId: typeof pid === 'string' && PARTICIPANT_ID.test(pid) ? pid : null }
}
