/**
 * The board policy (@copboard/policy) wired into sync-core: one RoomBoardPolicy per loaded board,
 * which both judges the room's client updates (sync-core's update policy; the connection's `info`,
 * role and participantId set by plugins/sync.ts, becomes the policy context) and filters the
 * presence its connections announce (sync-core's awareness filter, templates SPEC rule 19: no
 * cursor or selection of anyone writing in an anonymous zone reaches the others). Sharing it keeps
 * one zone cache per board, kept up to date by the policy's own index.
 */
import type * as Y from 'yjs'
import type { AwarenessFilter, UpdatePolicy } from '@copboard/sync-core'
import { contextFromInfo, createBoardPolicy, type BoardPolicyOptions, type RoomBoardPolicy } from '@copboard/policy'

export interface BoardRules {
  policy: UpdatePolicy
  filterAwareness: AwarenessFilter
}

export function boardRules(opts: BoardPolicyOptions = {}): BoardRules {
  const board = createBoardPolicy(opts)
  // by document: a room's awareness may be filtered before its first update creates the policy,
  // and a reloaded room (a new doc) gets a new one
  const rooms = new WeakMap<Y.Doc, RoomBoardPolicy>()
  const roomOf = (doc: Y.Doc): RoomBoardPolicy => {
    let room = rooms.get(doc)
    if (!room) rooms.set(doc, (room = board.forRoom(doc)))
    return room
  }
  return {
    policy: {
      forRoom(_name, doc) {
        const room = roomOf(doc)
        return {
          check: (ctx, tr) => room.check(contextFromInfo(ctx.info), tr),
          destroy: () => {
            rooms.delete(doc)
            room.destroy()
          },
        }
      },
    },
    filterAwareness(_name, doc, state) {
      const presence = state.presence
      if (!presence || typeof presence !== 'object') return state
      const next = roomOf(doc).presenceForOthers(presence as Record<string, unknown>)
      return next === presence ? state : { ...state, presence: next }
    },
  }
}
