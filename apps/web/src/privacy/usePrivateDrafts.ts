import { useSyncExternalStore } from 'react'
import type { PrivateDrafts } from './drafts'

/** Re-renders on every change of the drafts' state; returns it. */
export function usePrivateDrafts(drafts: PrivateDrafts) {
  useSyncExternalStore(
    (cb) => drafts.subscribe(cb),
    () => `${drafts.reveal.mode}|${drafts.reveal.round}|${drafts.privateCount}|${drafts.writingPrivately}|${drafts.unavailable}|${drafts.lastRevealSeen}`,
  )
  return drafts
}
