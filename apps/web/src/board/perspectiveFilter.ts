/** Which perspective is highlighted on this screen (local view state, never synced). */
import { useSyncExternalStore } from 'react'
import type { Perspective } from '../join/profile'

let current: Perspective | null = null
const listeners = new Set<() => void>()

export function setPerspectiveFilter(p: Perspective | null) {
  current = p
  for (const l of listeners) l()
}
export function getPerspectiveFilter(): Perspective | null {
  return current
}
export function usePerspectiveFilter(): Perspective | null {
  return useSyncExternalStore(
    (cb) => (listeners.add(cb), () => void listeners.delete(cb)),
    () => current,
    () => current,
  )
}

/** Shape + letter per perspective: the perspective is never told by colour alone. */
export const PERSPECTIVE_MARK: Record<Perspective, { icon: string; letter: string }> = {
  gemeente: { icon: '■', letter: 'G' },
  initiatief: { icon: '▲', letter: 'I' },
  overig: { icon: '●', letter: 'O' },
}
