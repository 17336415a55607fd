/** CoPs (communities of practice): the owners of sessions, tokens and snapshots. */
import { newId } from '../ids'
import type { Row, SqlDb } from '../sql'
import type { Cop } from '../types'

const COP_COLUMNS = 'id, name, theme, co_host, created_at'

function rowToCop(r: Row): Cop {
  return {
    id: r.id as string,
    name: r.name as string,
    theme: r.theme as string,
    coHost: r.co_host as string,
    createdAt: r.created_at as string,
  }
}

export async function createCop(db: SqlDb, input: Omit<Cop, 'id' | 'createdAt'>): Promise<Cop> {
  const cop: Cop = { id: newId(), name: input.name, theme: input.theme, coHost: input.coHost, createdAt: new Date().toISOString() }
  await db.run(`INSERT INTO cops (${COP_COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [cop.id, cop.name, cop.theme, cop.coHost, cop.createdAt])
  return cop
}

export async function getCop(db: SqlDb, id: string): Promise<Cop | null> {
  const r = await db.get(`SELECT ${COP_COLUMNS} FROM cops WHERE id = ?`, [id])
  return r ? rowToCop(r) : null
}
