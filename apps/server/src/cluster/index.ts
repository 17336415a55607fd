/**
 * Several instances, one service (issue 13): what one instance needs to share rooms with the
 * others. Room leases (PostgreSQL, sync-core §13) whenever the storage is PostgreSQL; Redis
 * (REDIS_URL) for cross-instance events and shared limits; metrics always. With SQLite and no
 * REDIS_URL everything here is off except the metrics: one instance, as before.
 */
import { hostname } from 'node:os'
import * as Y from 'yjs'
import { PgRoomLeases, type ParticipantMeta, type Storage } from '@copboard/storage'
import { RoomOwnedElsewhereError, type RoomEvent, type RoomManager, type RoomOwnership } from '@copboard/sync-core'
import type { Config } from '../config.js'
import type { SharedFailureStore } from '../auth/access.js'
import type { RoomsApi } from '../plugins/api/service.js'
import { ClusterEvents } from './events.js'
import { redisFailureStore } from './failures.js'
import { Metrics } from './metrics.js'
import { connectRedis, type ClusterRedis, type RedisLogger } from './redis.js'

export type ClusterLogger = RedisLogger & { error(obj: object, msg: string): void }

/** An owner keeps a room at least this long before handing it over (no ping-pong between instances). */
const HOLD_BEFORE_HANDOVER_MS = 3000
/** A refusing instance asks for a room at most this often. */
const RELEASE_REQUEST_INTERVAL_MS = 1000
/** C9: how long a non-owner waits for the owner to hand a room over before it reads storage. */
const SETTLE_TIMEOUT_MS = 15_000
const SETTLE_RETRY_MS = 300
/** C9: how long the people a room's owner handed over with it are kept in Redis. */
const HANDED_PEOPLE_TTL_S = 24 * 3600

export interface Cluster {
  readonly instanceId: string
  readonly metrics: Metrics
  /** Room leases (PostgreSQL only), with append latency measured. */
  readonly ownership: RoomOwnership | undefined
  readonly redis: ClusterRedis | undefined
  readonly events: ClusterEvents | undefined
  readonly sharedFailures: SharedFailureStore | undefined
  /** The storage sync-core appends through when it holds no lease (measured). */
  readonly roomStorage: Storage
  /** sync-core §13.4 room events: metrics, and asking the owner of a room to hand it over. */
  onRoomEvent(event: RoomEvent): void
  /** Wires the room manager: metrics gauges, and events from other instances closing local sockets. */
  attachRooms(rooms: RoomManager): void
  /** The archive's view of the rooms: closes reach every instance; a room owned elsewhere is read from storage. */
  roomsApi(rooms: RoomManager): RoomsApi
  close(): Promise<void>
}

export function createCluster(config: Config, storage: Storage, logger: ClusterLogger): Cluster {
  const instanceId = config.instanceId ?? `${hostname()}-${process.pid}`
  let rooms: RoomManager | null = null
  const metrics = new Metrics(instanceId, () => rooms)
  const leases =
    storage.backend === 'postgres' && config.databaseUrl
      ? new PgRoomLeases({
          url: config.databaseUrl,
          schema: config.databaseSchema,
          holder: `copboard:${instanceId}`,
          logger: {
            info: (msg) => logger.info({ instance: instanceId }, msg),
            warn: (msg) => logger.warn({ instance: instanceId }, msg),
            error: (msg) => logger.error({ instance: instanceId }, msg),
          },
          onChange: (change) => metrics.leaseChanges.inc({ change }),
        })
      : undefined
  const redis = config.redisUrl ? connectRedis(config.redisUrl, config.redisPrefix, logger) : undefined
  const events = redis ? new ClusterEvents(redis, instanceId, logger) : undefined
  /** owned rooms -> when this instance took them */
  const ownedSince = new Map<string, number>()
  const lastReleaseRequest = new Map<string, number>()
  /** the archive's people of a room (C9: they go with the room when it is handed over) */
  let peopleOf: ((room: string) => ParticipantMeta[] | null) | null = null
  const peopleKey = (room: string) => `${redis!.prefix}people:${room}`

  /** C9: stores who this instance saw on the room (its last awareness included) for the next owner. */
  async function handOverPeople(manager: RoomManager, room: string): Promise<void> {
    manager.flushAwarenessSeen(room)
    const people = peopleOf?.(room)
    if (!redis || !people?.length) return
    await redis.command
      .set(peopleKey(room), JSON.stringify(people), 'EX', HANDED_PEOPLE_TTL_S)
      .catch((err: Error) => logger.warn({ room, err: err.message }, 'cluster: could not hand over the people of a room'))
  }

  return {
    instanceId,
    metrics,
    ownership: leases ? metrics.timedOwnership(leases) : undefined,
    redis,
    events,
    sharedFailures: redis ? redisFailureStore(redis) : undefined,
    roomStorage: metrics.timedStorage(storage),
    onRoomEvent(e) {
      metrics.onRoomEvent(e)
      if (e.type === 'loaded' && e.owned) ownedSince.set(e.room, Date.now())
      else if (e.type === 'unloaded' || e.type === 'evicted') ownedSince.delete(e.room)
      else if (e.type === 'moved' && e.connections > 0 && events) {
        const now = Date.now()
        if (now - (lastReleaseRequest.get(e.room) ?? 0) < RELEASE_REQUEST_INTERVAL_MS) return
        lastReleaseRequest.set(e.room, now)
        if (lastReleaseRequest.size > 10_000) lastReleaseRequest.clear()
        events.publish({ type: 'release-room', room: e.room })
        metrics.clusterEvents.inc({ direction: 'out' })
      }
    },
    attachRooms(manager) {
      rooms = manager
      events?.on((e) => {
        metrics.clusterEvents.inc({ direction: 'in' })
        if (e.type === 'disconnect-room') {
          const n = manager.disconnectRoom(e.room, e.code)
          if (n > 0) logger.info({ room: e.room, connections: n, code: e.code }, 'cluster: closed a room\'s sockets on request of another instance')
        } else if (e.type === 'release-room') {
          const since = ownedSince.get(e.room)
          if (since === undefined || Date.now() - since < HOLD_BEFORE_HANDOVER_MS) return
          ownedSince.delete(e.room)
          // the people first: once the lease is released the next owner may read them
          handOverPeople(manager, e.room).then(() => manager.handOver(e.room)).then(
            (n) => logger.info({ room: e.room, connections: n }, 'cluster: handed a room over to the instance the proxy routes it to'),
            (err: Error) => logger.error({ room: e.room, err: err.message }, 'cluster: hand-over failed'),
          )
        }
      })
    },
    roomsApi(manager) {
      return {
        // the archive reads a room's state for a session's final snapshot (C9)
        encodeState: async (name) => {
          const deadline = Date.now() + SETTLE_TIMEOUT_MS
          for (;;) {
            try {
              return await manager.encodeState(name)
            } catch (err) {
              if (!(err instanceof RoomOwnedElsewhereError)) throw err
            }
            // C9: the owner may still accept and store edits until it hears of the end: ask it to
            // hand the room over (it closes its sockets, stores what it accepted, releases the
            // lease). Holding the lease here, no instance can append any more (fencing).
            if (!events || Date.now() > deadline) break
            events.publish({ type: 'release-room', room: name })
            metrics.clusterEvents.inc({ direction: 'out' })
            await new Promise((r) => setTimeout(r, SETTLE_RETRY_MS))
          }
          if (events) logger.warn({ room: name }, 'cluster: the owner did not hand the room over; the snapshot reads the board from storage as it is now')
          // storage holds every acknowledged edit (persist, then broadcast)
          const updates = await storage.loadRoom(name)
          return updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates)
        },
        transact: (name, fn, label) => manager.transact(name, fn, label),
        disconnectRoom: (name, code = 'NORMAL') => {
          const n = manager.disconnectRoom(name, code)
          if (events) {
            events.publish({ type: 'disconnect-room', room: name, code })
            metrics.clusterEvents.inc({ direction: 'out' })
          }
          return n
        },
        flushAwarenessSeen: (name) => manager.flushAwarenessSeen(name),
        handOverPeopleFrom: (fn) => {
          peopleOf = fn
        },
        // C9: read after encodeState got the room, i.e. after its owner stored them and let go
        handedOverPeople: async (name) => {
          if (!redis) return null
          try {
            const json = await redis.command.get(peopleKey(name))
            return json ? (JSON.parse(json) as unknown) : null
          } catch (err) {
            logger.warn({ room: name, err: (err as Error).message }, 'cluster: could not read the people handed over with a room')
            return null
          }
        },
        // with leases, only the owner autosaves a room and counts its people
        ...(leases ? { ownsRoom: (name: string) => manager.roomNames().includes(name), ownedRooms: () => manager.roomNames() } : {}),
      }
    },
    async close() {
      await leases?.close()
      await redis?.close()
    },
  }
}
