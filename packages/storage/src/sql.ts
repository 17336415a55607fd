/**
 * The small SQL interface the model layer (./model) is written against; one driver per backend
 * implements it (sqlite.ts: better-sqlite3, synchronous, prepared statements cached; postgres.ts:
 * pg Pool). Statements use `?` placeholders (the PostgreSQL driver numbers them), so the SQL text
 * holds no literal `?`. Column names and types are the same on both (migrations.ts).
 */
import type { Migration } from './migrations'

export type Row = Record<string, unknown>

export interface SqlDb {
  readonly backend: 'sqlite' | 'postgres'
  /** For messages: "SQLite", "PostgreSQL". */
  readonly label: string

  all<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>
  get<R = Row>(sql: string, params?: readonly unknown[]): Promise<R | undefined>
  /** Number of rows the statement changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>
  /**
   * Runs a transaction body (a generator of `tx` statements, see below) in one transaction that
   * takes the write lock first (SQLite BEGIN IMMEDIATE). SQLite runs it synchronously, like
   * better-sqlite3's own transactions: nothing else of this process can slip in between.
   */
  transaction<T>(body: () => TxBody<T>): Promise<T>
  /**
   * The sync server's hot path, each backend its fastest way (SQLite: one write(2) to its append
   * journal, moved into the table in batches; PostgreSQL: multi-row INSERT). Durable on resolve.
   */
  appendUpdates(room: string, updates: Uint8Array[]): Promise<void>
  close(): Promise<void>

  // ---- dialect: where the two backends' SQL differs
  readonly migrations: readonly Migration[]
  /** One parameter, the table name: yields a row when the table exists. */
  readonly tableExistsSql: string
  /** Run first in the migration transaction when BEGIN alone does not serialise migrators. */
  readonly migrationLockSql: string | null
  /** The column that orders tokens and snapshots by insertion (SQLite rowid, PostgreSQL seq). */
  readonly insertionOrder: string
  isForeignKeyViolation(err: unknown): boolean
}

/** One statement of a transaction body; the driver runs it and hands back its result. */
export interface TxStatement {
  kind: 'all' | 'get' | 'run' | 'exec'
  sql: string
  params: readonly unknown[]
}

/** A transaction body: `function* () { const row = yield* tx.get(sql, params); … return x }`. */
export type TxBody<T> = Generator<TxStatement, T, unknown>

/** The statements of a transaction body; `yield*` gives each one's typed result. */
export const tx = {
  *all<R = Row>(sql: string, params: readonly unknown[] = []): Generator<TxStatement, R[], unknown> {
    return (yield { kind: 'all', sql, params }) as R[]
  },
  *get<R = Row>(sql: string, params: readonly unknown[] = []): Generator<TxStatement, R | undefined, unknown> {
    return (yield { kind: 'get', sql, params }) as R | undefined
  },
  /** Number of rows changed. */
  *run(sql: string, params: readonly unknown[] = []): Generator<TxStatement, number, unknown> {
    return (yield { kind: 'run', sql, params }) as number
  },
  /** A script of several statements without parameters (migrations). */
  *exec(sql: string): Generator<TxStatement, void, unknown> {
    yield { kind: 'exec', sql, params: [] }
  },
}

/** Drives a body synchronously (SQLite): each statement's result or error goes back into it. */
export function runBodySync<T>(body: TxBody<T>, execute: (s: TxStatement) => unknown): T {
  let step = body.next()
  while (!step.done) {
    let result: unknown
    try {
      result = execute(step.value)
    } catch (err) {
      step = body.throw(err)
      continue
    }
    step = body.next(result)
  }
  return step.value
}

/** Drives a body over an asynchronous driver (PostgreSQL). */
export async function runBody<T>(body: TxBody<T>, execute: (s: TxStatement) => Promise<unknown>): Promise<T> {
  let step = body.next()
  while (!step.done) {
    let result: unknown
    try {
      result = await execute(step.value)
    } catch (err) {
      step = body.throw(err)
      continue
    }
    step = body.next(result)
  }
  return step.value
}
