/**
 * A plain GET of /sync/:room (no upgrade; plugins/sync.ts runs the socket's admission first): the
 * board's state as one Yjs update (sync-core SPEC §1.7). A browser's first visit reads it while
 * its scripts load and opens its socket with that state, so the socket carries only what changed
 * since (issue 12). Same path as the socket: the proxy routes both to one instance.
 *
 * Bounded like the sockets are: a response holds the state it sends until the client has read it
 * (a board changed in between is another copy), so reads in flight are limited per address and in
 * all, and a read not finished within STATE_READ_DEADLINE_MS is cut off.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { BadInputLog, RoomOwnedElsewhereError, errorMessage, type Logger, type RoomManager } from '@copboard/sync-core'
import { ApiError } from './api/errors.js'

/** Reads in flight per client address (a tab makes one per first visit)… */
export const MAX_STATE_READS_PER_ADDRESS = 4
/** …and in all. */
export const MAX_STATE_READS = 256
/** A read still sending after this long is cut off (a 10 MB board on a 2 Mbit/s line takes 40 s). */
export const STATE_READ_DEADLINE_MS = 60_000
/** At most one log line per this long for reads that failed (storage down, shutting down). */
const FAILURE_LOG_INTERVAL_MS = 10_000

export function stateReads(rooms: RoomManager, logger: Logger, opts: { deadlineMs?: number } = {}) {
  const inFlight = new Map<string, number>()
  let total = 0
  const failureLog = new BadInputLog(logger, 1, FAILURE_LOG_INTERVAL_MS, Date.now, 'board state read')
  const deadlineMs = opts.deadlineMs ?? STATE_READ_DEADLINE_MS

  const refuse = (reply: FastifyReply, code: 'RATE_LIMITED' | 'ROOM_MOVED' | 'BOARD_UNAVAILABLE') => {
    const e = new ApiError(code)
    return reply.code(e.statusCode).send(e.toJSON())
  }

  return async function readState(request: FastifyRequest<{ Params: { room: string } }>, reply: FastifyReply) {
    const address = request.ip
    const mine = inFlight.get(address) ?? 0
    if (mine >= MAX_STATE_READS_PER_ADDRESS || total >= MAX_STATE_READS) return refuse(reply, 'RATE_LIMITED')
    inFlight.set(address, mine + 1)
    total++
    const deadline = setTimeout(() => reply.raw.destroy(), deadlineMs)
    // 'close': the response was sent, failed, or its connection went away
    reply.raw.once('close', () => {
      clearTimeout(deadline)
      total--
      const left = (inFlight.get(address) ?? 1) - 1
      if (left > 0) inFlight.set(address, left)
      else inFlight.delete(address)
    })
    let state: Uint8Array
    try {
      state = await rooms.joinerState(request.params.room)
    } catch (err) {
      if (err instanceof RoomOwnedElsewhereError) return refuse(reply, 'ROOM_MOVED')
      failureLog.line('warn', { room: request.params.room, err: errorMessage(err) }, 'sync: a board state could not be read')
      return refuse(reply, 'BOARD_UNAVAILABLE')
    }
    return reply
      .header('content-type', 'application/octet-stream')
      .header('cache-control', 'no-store')
      .send(Buffer.from(state.buffer, state.byteOffset, state.byteLength))
  }
}
