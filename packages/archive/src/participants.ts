/**
 * Who took part in a live session (issue 6 snapshot metadata): the distinct people seen in the
 * board's awareness (sync-core §4.4 `onAwarenessSeen`), including those who only watched or drew.
 *
 * Only `user.name`, `user.perspective` and the role are taken from an awareness state: names are
 * normalised (control characters dropped, whitespace collapsed, at most MAX_NAME_CHARS), a
 * token-shaped name is ignored, at most `max` people per session (the rest counted). The role is
 * the server-authorised one (ConnectOptions.info.role) when known, else viewer for read-only
 * connections, else the client's claim when it is facilitator/participant.
 * Identity = the name, case-insensitive; perspective and role are the latest seen.
 * Not to be starved by one source: sync-core lets one connection announce at most 4 client ids
 * (§4.5), and here at most MAX_PEOPLE_PER_ADDRESS new people come from one client address
 * (`info.address`), so a script cannot fill the list before the real participants arrive.
 */
import type { ParticipantMeta, Role } from '@copboard/storage'
import type { AwarenessSeen } from '@copboard/sync-core'
import { PERSPECTIVES as PERSPECTIVE_LIST } from '@copboard/templates'

export const MAX_NAME_CHARS = 60
export const MAX_PARTICIPANTS = 200
/** New people recorded per client address (an office behind one NAT address stays well below). */
export const MAX_PEOPLE_PER_ADDRESS = 50
const PERSPECTIVES = new Set<string>(PERSPECTIVE_LIST)
const ROLES = new Set<string>(['facilitator', 'participant', 'viewer'])

export type { ParticipantMeta }

/** The shape of an access token (apps/server/src/auth/tokens.ts): a name like that is a pasted secret, never stored. */
const TOKEN_SHAPED = /^[A-Za-z0-9_-]{43}$/

interface Entry {
  name: string
  perspective: string | null
  role?: Role
  firstSeen: number
  lastSeen: number
}

export function cleanName(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const s = v
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (!s || TOKEN_SHAPED.test(s)) return null
  const chars = [...s]
  return chars.length > MAX_NAME_CHARS ? chars.slice(0, MAX_NAME_CHARS).join('').trimEnd() : s
}

/** The person an awareness state announces, or null when it carries no usable name. */
export function personFromAwareness(
  state: Readonly<Record<string, unknown>>,
  readOnly: boolean,
  info?: Readonly<Record<string, unknown>>,
): { name: string; perspective: string | null; role?: Role } | null {
  const user = state.user
  if (!user || typeof user !== 'object') return null
  const u = user as Record<string, unknown>
  const name = cleanName(u.name)
  if (!name) return null
  const perspective = typeof u.perspective === 'string' && PERSPECTIVES.has(u.perspective) ? u.perspective : null
  let role: Role | undefined
  if (typeof info?.role === 'string' && ROLES.has(info.role)) role = info.role as Role
  else if (readOnly) role = 'viewer'
  else if (u.role === 'facilitator' || u.role === 'participant') role = u.role
  return { name, perspective, ...(role ? { role } : {}) }
}

const keyOf = (name: string) => name.toLocaleLowerCase('nl')

export class SessionParticipants {
  private readonly people = new Map<string, Entry>()
  /** awareness client id -> person key, for the clients currently on the board */
  private readonly present = new Map<number, string>()
  /** people beyond `max` (or beyond the per-address cap) that were not recorded */
  dropped = 0
  /** people first recorded per client address */
  private readonly perAddress = new Map<string, number>()
  /** a person was added (or changed perspective/role) since the last `markSaved()` */
  dirty = false

  constructor(private readonly max = MAX_PARTICIPANTS) {}

  get size(): number {
    return this.people.size
  }

  /** Applies one batch of the sync-core hook. */
  record(seen: AwarenessSeen): void {
    for (const s of seen.states) {
      const person = personFromAwareness(s.state, s.readOnly, s.info)
      const prevKey = this.present.get(s.clientId)
      if (!person) {
        // a client that cleared its name is no longer this person
        if (prevKey) this.touch(prevKey, seen.at)
        this.present.delete(s.clientId)
        continue
      }
      const key = keyOf(person.name)
      if (prevKey && prevKey !== key) this.touch(prevKey, seen.at) // renamed: the old name was seen until now
      const e = this.people.get(key)
      if (e) {
        e.lastSeen = Math.max(e.lastSeen, seen.at)
        if (person.perspective !== e.perspective || (person.role && person.role !== e.role)) this.dirty = true
        e.perspective = person.perspective
        if (person.role) e.role = person.role
      } else {
        const address = typeof s.info?.address === 'string' ? s.info.address : null
        const fromAddress = address === null ? 0 : (this.perAddress.get(address) ?? 0)
        if (this.people.size >= this.max || fromAddress >= MAX_PEOPLE_PER_ADDRESS) {
          this.dropped++
          this.present.delete(s.clientId)
          continue
        }
        if (address !== null) this.perAddress.set(address, fromAddress + 1)
        this.people.set(key, { ...person, firstSeen: seen.at, lastSeen: seen.at })
        this.dirty = true
      }
      this.present.set(s.clientId, key)
    }
    for (const id of seen.removed) {
      const key = this.present.get(id)
      if (key) this.touch(key, seen.at)
      this.present.delete(id)
    }
  }

  private touch(key: string, at: number): void {
    const e = this.people.get(key)
    if (e) e.lastSeen = Math.max(e.lastSeen, at)
  }

  /** Adds the people of an earlier snapshot of this session (after a restart), keeping the earliest firstSeen. */
  restore(list: unknown): void {
    for (const p of parseParticipants(list)) {
      const key = keyOf(p.name)
      const e = this.people.get(key)
      const first = Date.parse(p.firstSeen)
      const last = Date.parse(p.lastSeen)
      if (e) {
        e.firstSeen = Math.min(e.firstSeen, first)
        e.lastSeen = Math.max(e.lastSeen, last)
      } else if (this.people.size < this.max) {
        this.people.set(key, { name: p.name, perspective: p.perspective, ...(p.role ? { role: p.role } : {}), firstSeen: first, lastSeen: last })
      }
    }
  }

  /** Takes over the people still on the board from the pre-start tracker, as seen from `at`. */
  adoptPresent(from: SessionParticipants, at: number): void {
    for (const [clientId, key] of from.present) {
      const e = from.people.get(key)
      if (!e || this.people.has(key) || this.people.size >= this.max) continue
      this.people.set(key, { ...e, firstSeen: at, lastSeen: Math.max(at, e.lastSeen) })
      this.present.set(clientId, key)
      this.dirty = true
    }
  }

  /** The people seen, for `meta.participants`; those on the board now are seen until `now`. */
  toMeta(now: number): ParticipantMeta[] {
    for (const key of this.present.values()) this.touch(key, now)
    return [...this.people.values()]
      .sort((a, b) => a.firstSeen - b.firstSeen || a.name.localeCompare(b.name, 'nl'))
      .map((e) => ({
        name: e.name,
        perspective: e.perspective,
        ...(e.role ? { role: e.role } : {}),
        firstSeen: new Date(e.firstSeen).toISOString(),
        lastSeen: new Date(e.lastSeen).toISOString(),
      }))
  }

  markSaved(): void {
    this.dirty = false
  }
}

/** Validates a stored `meta.participants` (older snapshots hold plain author names: ignored here). */
export function parseParticipants(list: unknown): ParticipantMeta[] {
  if (!Array.isArray(list)) return []
  const out: ParticipantMeta[] = []
  for (const p of list) {
    if (!p || typeof p !== 'object') continue
    const o = p as Record<string, unknown>
    const name = cleanName(o.name)
    if (!name || typeof o.firstSeen !== 'string' || typeof o.lastSeen !== 'string') continue
    if (Number.isNaN(Date.parse(o.firstSeen)) || Number.isNaN(Date.parse(o.lastSeen))) continue
    out.push({
      name,
      perspective: typeof o.perspective === 'string' && PERSPECTIVES.has(o.perspective) ? o.perspective : null,
      ...(typeof o.role === 'string' && ROLES.has(o.role) ? { role: o.role as Role } : {}),
      firstSeen: o.firstSeen,
      lastSeen: o.lastSeen,
    })
  }
  return out.slice(0, MAX_PARTICIPANTS)
}

/**
 * Of a people list another instance handed over with a room (cluster C9), those seen since the
 * session started at `startedAt` (an instance that never saw the start keeps everyone who was on
 * the board), counted from the start as A10 does.
 */
export function seenSince(list: unknown, startedAt: string | null): ParticipantMeta[] {
  const people = parseParticipants(list)
  if (!startedAt) return people
  const start = Date.parse(startedAt)
  return people
    .filter((p) => Date.parse(p.lastSeen) >= start)
    .map((p) => (Date.parse(p.firstSeen) < start ? { ...p, firstSeen: new Date(start).toISOString() } : p))
}

/** Note authors that never appeared in awareness (e.g. a board restored from an older snapshot). */
export function authorsOnly(authors: string[], participants: ParticipantMeta[]): string[] {
  const seen = new Set(participants.map((p) => keyOf(p.name)))
  const out = new Map<string, string>()
  for (const a of authors) {
    const name = cleanName(a)
    if (name && !seen.has(keyOf(name)) && !out.has(keyOf(name))) out.set(keyOf(name), name)
  }
  return [...out.values()].sort((a, b) => a.localeCompare(b, 'nl')).slice(0, MAX_PARTICIPANTS)
}
