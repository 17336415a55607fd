/**
 * The CoPs this browser has opened (issue 11): name, role and the token of the link it was opened
 * with, so a facilitator who lost a link gets back from the home page — as far as that token
 * allows (a revoked token opens nothing; a participant's token opens the CoP as a participant).
 * localStorage only; "Vergeten" removes an entry.
 */
import type { Role } from '../archive/api'

export interface KnownCop {
  copId: string
  name: string
  role: Role
  token: string
  lastOpened: string
}

const KEY = 'copboard.knownCops'
const MAX = 30
const RANK: Record<Role, number> = { facilitator: 3, participant: 2, viewer: 1 }

export function knownCops(): KnownCop[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown
    if (!Array.isArray(list)) return []
    return list
      .filter((c): c is KnownCop => !!c && typeof c.copId === 'string' && typeof c.token === 'string' && typeof c.name === 'string' && c.role in RANK)
      .sort((a, b) => b.lastOpened.localeCompare(a.lastOpened))
  } catch {
    return []
  }
}

function save(list: KnownCop[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX)))
  } catch {
    /* private mode: nothing kept */
  }
}

/** Records an opened CoP; a facilitator's token is never replaced by a lesser role's. */
export function rememberCop(c: Omit<KnownCop, 'lastOpened'>): void {
  const list = knownCops()
  const prev = list.find((x) => x.copId === c.copId)
  const keep = prev && RANK[prev.role] > RANK[c.role] ? { ...prev, name: c.name } : c
  save([{ ...keep, lastOpened: new Date().toISOString() }, ...list.filter((x) => x.copId !== c.copId)])
}

export function forgetCop(copId: string): void {
  save(knownCops().filter((x) => x.copId !== copId))
}
