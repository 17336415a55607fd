/**
 * A participant's side of follow (board SPEC S3): land where the facilitator is on joining, jump
 * once on every "bring everyone here", follow continuously while summoned (tldraw's own follow of
 * the facilitator's presence, restarted if the participant pans away) — and otherwise leave the
 * camera alone. The facilitator's live camera comes from awareness (tldraw presence).
 */
import { useEffect, useRef } from 'react'
import { Box, react, type Editor, type TLInstancePresence, type TLUserId } from 'tldraw'
import { followAction, Landing, type FollowState, type PageView } from '@copboard/board'
import type { BoardConnection } from '../board/sync'
import { leaderClientId } from './context'
import { currentTemplateId, frameLanding, MIN_LANDING_ZOOM } from '../templates/launch'

export const leaderUserId = (clientId: number) => `user:${clientId}` as TLUserId

/** The facilitator's current view from their awareness presence (null while it is not known). */
function leaderPresenceView(conn: BoardConnection, follow: FollowState | null): PageView | null {
  const id = leaderClientId(conn, follow?.leaderClientId)
  const p = id != null ? (conn.provider.awareness.getStates().get(id)?.presence as TLInstancePresence | undefined) : undefined
  if (p?.camera && p.screenBounds && p.screenBounds.w > 0 && p.camera.z > 0) {
    return { pageId: p.currentPageId, x: -p.camera.x, y: -p.camera.y, w: p.screenBounds.w / p.camera.z, h: p.screenBounds.h / p.camera.z }
  }
  return null
}

/** The facilitator's current view from their awareness presence, else the view stored in the doc. */
export function leaderView(conn: BoardConnection, follow: FollowState | null): PageView | null {
  return leaderPresenceView(conn, follow) ?? follow?.view ?? null
}

/** Waited for the socket's first sync before a late joiner lands on the stored view anyway (offline, from the cache; presence still wins when it comes). */
const LANDING_WITHOUT_SYNC_MS = 3000

export function jumpTo(editor: Editor, view: PageView, animate = true): boolean {
  if (!editor.getPage(view.pageId as never)) return false
  if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
  if (editor.getCurrentPageId() !== view.pageId) editor.setCurrentPage(view.pageId as never)
  editor.zoomToBounds(new Box(view.x, view.y, view.w, view.h), { inset: 0, ...(animate ? { animation: { duration: 400 } } : {}) })
  return true
}

/**
 * A late joiner's landing: the facilitator's page and view — unless that view would be unreadable
 * on this screen (e.g. the facilitator's overview of a whole template, below MIN_LANDING_ZOOM):
 * then the first agenda step of the template on that page, at a readable zoom (frameLanding).
 */
export function landAt(editor: Editor, view: PageView): boolean {
  if (!editor.getPage(view.pageId as never)) return false
  const vp = editor.getViewportScreenBounds()
  const zoom = view.w > 0 && view.h > 0 ? Math.min(vp.w / view.w, vp.h / view.h) : 1
  if (zoom >= MIN_LANDING_ZOOM) return jumpTo(editor, view, false)
  if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
  if (editor.getCurrentPageId() !== view.pageId) editor.setCurrentPage(view.pageId as never)
  if (currentTemplateId(editor)) frameLanding(editor, false)
  else jumpTo(editor, view, false)
  return true
}

export function startFollowing(editor: Editor, conn: BoardConnection, follow: FollowState | null): boolean {
  const id = leaderClientId(conn, follow?.leaderClientId)
  if (id == null) return false
  const userId = leaderUserId(id)
  if (editor.getInstanceState().followingUserId === userId) return true
  editor.startFollowingUser(userId)
  return editor.getInstanceState().followingUserId === userId
}

/** Installs the participant's follow behaviour; `follow` is the session's follow state. */
export function useFollowRuntime(editor: Editor, conn: BoardConnection, follow: FollowState | null, enabled: boolean) {
  const seen = useRef<number | null>(null)
  const followRef = useRef(follow)
  followRef.current = follow

  // late joiner: land where the facilitator is, as soon as their presence (or the stored view) is known
  useEffect(() => {
    if (!enabled) return
    const aw = conn.provider.awareness
    const provider = conn.provider
    // the stored view only once the socket's greeting is in (it brings the facilitator's presence):
    // a board from its cache or read early (board/earlyState.ts) renders before the socket syncs
    const landing = new Landing({
      presenceView: () => leaderPresenceView(conn, followRef.current),
      storedView: () => followRef.current?.view ?? null,
      land: (view) => landAt(editor, view),
      currentPage: () => editor.getCurrentPageId(),
    })
    const timers: ReturnType<typeof setTimeout>[] = []
    const landed = (moved: boolean) => {
      if (!moved) return
      seen.current = followRef.current?.bringSeq ?? 0
      if (followRef.current?.locked) startFollowing(editor, conn, followRef.current)
    }
    const tryLand = () => landed(landing.tryLand())
    const giveUp = () => {
      aw.off('change', tryLand)
      if (!landing.done) seen.current = followRef.current?.bringSeq ?? 0
      landing.end()
    }
    const useStoredView = () => landed(landing.useStoredView())
    // give the facilitator's awareness a moment to arrive after the sync; after that, the doc's view
    // will do, and 4 s after it the landing is over
    const onSync = (synced: boolean) => {
      if (!synced) return
      provider.off('sync', onSync)
      timers.push(setTimeout(useStoredView, 300), setTimeout(giveUp, 4000))
    }
    aw.on('change', tryLand)
    if (provider.synced) onSync(true)
    else {
      provider.on('sync', onSync)
      // no sync yet (offline, a board from its cache): the stored view, until a sync brings presence
      timers.push(setTimeout(useStoredView, LANDING_WITHOUT_SYNC_MS))
    }
    tryLand()
    return () => {
      aw.off('change', tryLand)
      provider.off('sync', onSync)
      for (const t of timers) clearTimeout(t)
    }
  }, [editor, conn, enabled])

  // bring / summon
  useEffect(() => {
    if (!enabled || seen.current === null) return
    const following = editor.getInstanceState().followingUserId !== null
    const action = followAction({ seenBringSeq: seen.current, following }, follow)
    seen.current = follow?.bringSeq ?? 0
    if (action.kind === 'jump') {
      const view = leaderView(conn, follow)
      if (view) jumpTo(editor, view)
    }
    if (follow?.locked) startFollowing(editor, conn, follow)
  }, [editor, conn, follow, enabled])

  // summoned: panning away stops tldraw's follow; start it again
  useEffect(() => {
    if (!enabled) return
    return react('copboard summon lock', () => {
      const followingId = editor.getInstanceState().followingUserId
      if (followingId === null && followRef.current?.locked) queueMicrotask(() => startFollowing(editor, conn, followRef.current))
    })
  }, [editor, conn, enabled])
}
