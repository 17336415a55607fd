/**
 * Private mode (issue 10), the server's half: the facilitator switches private writing on and
 * reveals; the server is the only writer of `session.reveal` and the only one that moves draft
 * notes into the board (origin: local, so they are persisted in the update log and broadcast like
 * any server-side change). Draft rooms are opened only by their own participant (plugins/sync.ts).
 *
 *   POST /api/boards/:room/private  { mode: 'private' | 'open' }   F   -> { reveal }
 *   POST /api/boards/:room/reveal                                  F   -> { reveal, moved, anonymized, drafts }
 */
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { RoomManager } from '@copboard/sync-core'
import { deleteRecords, draftRecords, parseDraftRoom, readRecords, readRevealState, writeRecords, writeRevealState, type RevealMode } from '@copboard/board'
import { planReveal, toMap } from '@copboard/templates'
import type { TLRecord } from '@tldraw/tlschema'
import { isBoardWritable } from '@copboard/archive'
import { requireToken, requireFacilitator } from '../auth'
import { ApiError } from './api/errors'
import type { ArchiveService } from './api/service'

export interface PrivateModeOptions {
  archive: ArchiveService
  rooms: RoomManager
}

const roomParams = { type: 'object', required: ['room'], properties: { room: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } } } as const

const freshId = (typeName: 'shape' | 'binding') => `${typeName}:${randomBytes(12).toString('base64url')}`

const privateModePlugin: FastifyPluginAsync<PrivateModeOptions> = async (app, { archive, rooms }) => {
  if (!app.hasRequestDecorator('access')) app.decorateRequest('access', null)
  const authed = requireToken(archive.resolver)

  app.setErrorHandler((err: unknown, request, reply) => {
    const e = err instanceof ApiError ? err : (err as { validation?: unknown }).validation ? new ApiError('VALIDATION_FAILED', (err as Error).message) : null
    if (e) return reply.code(e.statusCode).send(e.toJSON())
    request.log.error({ err }, 'private mode: internal error')
    return reply.code(500).send(new ApiError('INTERNAL').toJSON())
  })

  /** The facilitator of this board's CoP, on a board that can still change. */
  async function facilitatorBoard(request: FastifyRequest<{ Params: { room: string } }>) {
    const session = await archive.sessionOfRoom(request.params.room)
    if (!session) throw new ApiError('ROOM_NOT_FOUND')
    requireFacilitator(request, session.copId)
    if (!isBoardWritable(session.state)) throw new ApiError('SESSION_STATE_CONFLICT', 'the session has ended; its board is frozen')
    return session.room
  }

  app.post<{ Params: { room: string }; Body: { mode: RevealMode } }>(
    '/boards/:room/private',
    {
      preHandler: authed,
      schema: { params: roomParams, body: { type: 'object', required: ['mode'], additionalProperties: false, properties: { mode: { enum: ['private', 'open'] } } } },
    },
    async (request) => {
      const room = await facilitatorBoard(request)
      const reveal = await rooms.transact(room, (doc) => {
        writeRevealState(doc, { mode: request.body.mode })
        return readRevealState(doc)
      }, 'private-mode')
      return { reveal }
    },
  )

  app.post<{ Params: { room: string } }>('/boards/:room/reveal', { preHandler: authed, schema: { params: roomParams } }, async (request) => {
    const room = await facilitatorBoard(request)
    return revealDrafts(rooms, await draftRoomsOf(archive, rooms, room), room)
  })
}

/** Every draft room of a board: stored ones and ones only in memory (opened, nothing written yet). */
async function draftRoomsOf(archive: ArchiveService, rooms: RoomManager, room: string): Promise<string[]> {
  const names = new Set([...(await archive.storedRooms()), ...rooms.roomNames()])
  return [...names].filter((n) => parseDraftRoom(n)?.room === room).sort()
}

/**
 * Moves every draft into the board in ONE board transaction (and ends private mode), then removes
 * the moved records from each draft. Board first: if the server stops in between, a note shows up
 * twice rather than being lost. What a participant wrote meanwhile stays in their draft.
 */
export async function revealDrafts(rooms: RoomManager, drafts: string[], room: string) {
  const pending: { name: string; records: TLRecord[] }[] = []
  for (const name of drafts) {
    const records = await rooms.transact(name, (doc) => draftRecords(readRecords(doc)), 'reveal-read')
    if (records.length) pending.push({ name, records })
  }
  const moved = new Map<string, string[]>()
  let count = 0
  let anonymized = 0
  const reveal = await rooms.transact(room, (doc) => {
    const board = toMap(readRecords(doc))
    const put: TLRecord[] = []
    for (const d of pending) {
      const plan = planReveal(board, d.records, freshId)
      for (const r of plan.put) board.set(r.id, r) // later drafts see earlier ones (parents, zones)
      put.push(...plan.put)
      moved.set(d.name, plan.moved)
      count += plan.moved.filter((id) => id.startsWith('shape:')).length
      anonymized += plan.anonymized
    }
    if (put.length) writeRecords(doc, put)
    const before = readRevealState(doc)
    writeRevealState(doc, { mode: 'open', round: before.round + 1, revealedAt: Date.now() })
    return readRevealState(doc)
  }, 'reveal')
  for (const [name, ids] of moved) if (ids.length) await rooms.transact(name, (doc) => deleteRecords(doc, ids), 'reveal-clear')
  return { reveal, moved: count, anonymized, drafts: pending.length }
}

export default privateModePlugin
