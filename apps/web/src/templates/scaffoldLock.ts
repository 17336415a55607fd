/**
 * Scaffold locks (issue 5): participants cannot move, resize, edit, unlock or delete scaffold shapes
 * (meta.copboard.scaffold === true). Enforced in the store's side effects, so every path (drag,
 * resize handles, context-menu "unlock", keyboard delete, API calls) is refused — prevented, not
 * discouraged. Changes arriving from the sync (source 'remote', via mergeRemoteChanges) always apply.
 */
import type { Editor, TLPage, TLPageId, TLShape } from 'tldraw'
import { isZoneShape } from '@copboard/templates'

export function isScaffold(shape: { meta?: unknown } | undefined): boolean {
  const m = (shape?.meta as { copboard?: { scaffold?: unknown } } | undefined)?.copboard
  return !!m && m.scaffold === true
}

/** True when the page holds a template's scaffold. */
export function pageHasScaffold(editor: Editor, pageId: TLPageId): boolean {
  return scaffoldTemplateOf(editor, pageId) !== null
}

/** The template whose scaffold is on the page, if any. */
export function scaffoldTemplateOf(editor: Editor, pageId: TLPageId): string | null {
  for (const id of editor.getPageShapeIds(pageId)) {
    const s = editor.getShape(id)
    if (isScaffold(s)) return ((s!.meta as { copboard?: { templateId?: string } }).copboard?.templateId as string) ?? null
  }
  return null
}

/**
 * Install the lock. `canEditScaffold` is asked at the time of each change (the role can change when
 * the token is checked); pass the facilitator check from board/role.ts. Returns an uninstall function.
 */
export function installScaffoldLock(editor: Editor, canEditScaffold: () => boolean): () => void {
  const se = editor.sideEffects
  const offs = [
    se.registerBeforeChangeHandler('shape', (prev: TLShape, next: TLShape, source) => {
      if (source === 'remote' || canEditScaffold()) return next
      return isScaffold(prev) ? prev : next
    }),
    se.registerBeforeDeleteHandler('shape', (shape: TLShape, source) => {
      if (source === 'remote' || canEditScaffold()) return
      if (isScaffold(shape)) return false
    }),
    // a participant pasting a copy of the scaffold (or of any zone: the server refuses a new zone
    // from anyone but the facilitator, policy SPEC §2) gets ordinary, unlocked shapes
    se.registerBeforeCreateHandler('shape', (shape: TLShape, source) => {
      if (source === 'remote' || canEditScaffold() || !(isScaffold(shape) || isZoneShape(shape))) return shape
      const meta = { ...shape.meta }
      delete meta.copboard
      return { ...shape, isLocked: false, meta } as TLShape
    }),
    // deleting a template page would take the scaffold with it
    se.registerBeforeDeleteHandler('page', (page: TLPage, source) => {
      if (source === 'remote' || canEditScaffold()) return
      if (pageHasScaffold(editor, page.id)) return false
    }),
  ]
  return () => offs.forEach((off) => off())
}
