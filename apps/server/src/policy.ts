/**
 * The board policy (@copboard/policy) as sync-core's update policy: the connection's `info`
 * (role and participantId, set by plugins/sync.ts) becomes the policy context.
 */
import type { UpdatePolicy } from '@copboard/sync-core'
import { contextFromInfo, createBoardPolicy, type BoardPolicyOptions } from '@copboard/policy'

export function boardUpdatePolicy(opts: BoardPolicyOptions = {}): UpdatePolicy {
  const board = createBoardPolicy(opts)
  return {
    forRoom(_room, doc) {
      const room = board.forRoom(doc)
      return {
        check: (ctx, tr) => room.check(contextFromInfo(ctx.info), tr),
        destroy: () => room.destroy(),
      }
    },
  }
}
