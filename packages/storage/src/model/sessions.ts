/** Sessions of a CoP: numbered 1, 2, 3 … per CoP, each with its own board room. */
import { StorageError } from '../errors'
import { newId, newRoomId } from '../ids'
import { tx, type Row, type SqlDb } from '../sql'
import type { Session, SessionStart, SessionState } from '../types'

export type NewSession = Omit<Session, 'id' | 'number' | 'room' | 'createdAt' | 'startedAt' | 'endedAt' | 'state'>

const SESSION_COLUMNS = 'id, cop_id, number, title, date, state, start_json, room, started_at, ended_at, created_at'

function rowToSession(r: Row): Session {
  return {
    id: r.id as string,
    copId: r.cop_id as string,
    number: Number(r.number),
    title: r.title as string,
    date: r.date as string,
    state: r.state as SessionState,
    start: JSON.parse(r.start_json as string) as SessionStart,
    room: r.room as string,
    startedAt: (r.started_at as string | null) ?? null,
    endedAt: (r.ended_at as string | null) ?? null,
    createdAt: r.created_at as string,
  }
}

export function createSession(db: SqlDb, input: NewSession): Promise<Session> {
  return db.transaction(function* () {
    // the CoP's counter allocates the number; its row lock serialises concurrent callers
    const bump = yield* tx.get<{ session_count: number }>(
      'UPDATE cops SET session_count = session_count + 1 WHERE id = ? RETURNING session_count',
      [input.copId],
    )
    if (!bump) throw new StorageError('COP_NOT_FOUND', `CoP ${input.copId} does not exist`)
    const s: Session = {
      id: newId(), copId: input.copId, number: Number(bump.session_count), title: input.title, date: input.date,
      state: 'planned', start: input.start, room: newRoomId(), startedAt: null, endedAt: null,
      createdAt: new Date().toISOString(),
    }
    yield* tx.run(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
      [s.id, s.copId, s.number, s.title, s.date, s.state, JSON.stringify(s.start), s.room, s.createdAt],
    )
    return s
  })
}

export async function getSession(db: SqlDb, id: string): Promise<Session | null> {
  const r = await db.get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`, [id])
  return r ? rowToSession(r) : null
}

export async function getSessionByRoom(db: SqlDb, room: string): Promise<Session | null> {
  const r = await db.get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE room = ?`, [room])
  return r ? rowToSession(r) : null
}

export async function listSessions(db: SqlDb, copId: string): Promise<Session[]> {
  const rows = await db.all(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE cop_id = ? ORDER BY number`, [copId])
  return rows.map(rowToSession)
}

/** Compare-and-set of the state; entering 'live' stamps started_at, entering 'ended' ended_at. */
export async function transitionSession(db: SqlDb, id: string, from: SessionState, to: SessionState, at: string): Promise<Session | null> {
  const r = await db.get(
    `UPDATE sessions SET state = ?, started_at = COALESCE(?, started_at), ended_at = COALESCE(?, ended_at)
     WHERE id = ? AND state = ? RETURNING ${SESSION_COLUMNS}`,
    [to, to === 'live' ? at : null, to === 'ended' ? at : null, id, from],
  )
  return r ? rowToSession(r) : null
}
