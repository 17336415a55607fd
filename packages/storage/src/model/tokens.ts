/** Access tokens of a CoP; only a hash of the secret is stored. */
import { StorageError } from '../errors'
import { newId } from '../ids'
import type { Row, SqlDb } from '../sql'
import type { Role, TokenRecord } from '../types'

const TOKEN_COLUMNS = 'id, cop_id, role, label, created_at, revoked_at'

function rowToToken(r: Row): TokenRecord {
  return {
    id: r.id as string,
    copId: r.cop_id as string,
    role: r.role as Role,
    label: r.label as string,
    createdAt: r.created_at as string,
    revokedAt: (r.revoked_at as string | null) ?? null,
  }
}

export async function createToken(db: SqlDb, input: { copId: string; role: Role; label: string; secretHash: string }): Promise<TokenRecord> {
  const t: TokenRecord = { id: newId(), copId: input.copId, role: input.role, label: input.label, createdAt: new Date().toISOString(), revokedAt: null }
  try {
    await db.run('INSERT INTO tokens (id, cop_id, role, label, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      t.id, t.copId, t.role, t.label, input.secretHash, t.createdAt,
    ])
  } catch (err) {
    if (db.isForeignKeyViolation(err)) throw new StorageError('COP_NOT_FOUND', `CoP ${input.copId} does not exist`, { cause: err })
    throw err
  }
  return t
}

export async function findTokenByHash(db: SqlDb, secretHash: string): Promise<TokenRecord | null> {
  const r = await db.get(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE secret_hash = ?`, [secretHash])
  return r ? rowToToken(r) : null
}

export async function listTokens(db: SqlDb, copId: string): Promise<TokenRecord[]> {
  const rows = await db.all(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE cop_id = ? ORDER BY created_at, ${db.insertionOrder}`, [copId])
  return rows.map(rowToToken)
}

/** Idempotent: a revoked token keeps its first revocation time. */
export async function revokeToken(db: SqlDb, copId: string, tokenId: string, at: string): Promise<boolean> {
  const changed = await db.run('UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND cop_id = ?', [at, tokenId, copId])
  return changed > 0
}
