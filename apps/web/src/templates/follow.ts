/**
 * Participants go where the template is: on joining they land on the most recently launched template
 * page (not on an empty first page), and when the facilitator launches a template while they are on
 * the board (a new page with scaffold arriving from the sync), they follow to it. They can still switch
 * pages themselves afterwards. They land on the first agenda step at a readable zoom (frameLanding).
 */
import type { Editor, TLPageId, TLRecord, TLShape } from 'tldraw'
import { isScaffold, pageHasScaffold } from './scaffoldLock'
import { frameLanding } from './launch'

function goTo(editor: Editor, pageId: TLPageId) {
  editor.setCurrentPage(pageId)
  frameLanding(editor, false)
}

export function installTemplateFollow(editor: Editor): () => void {
  const current = editor.getCurrentPageId()
  if (!pageHasScaffold(editor, current)) {
    const latest = [...editor.getPages()].reverse().find((p) => pageHasScaffold(editor, p.id))
    if (latest) goTo(editor, latest.id)
  }
  return editor.store.listen(
    ({ changes }) => {
      const added = Object.values(changes.added) as TLRecord[]
      const newPages = new Set(added.filter((r) => r.typeName === 'page').map((r) => r.id as TLPageId))
      if (!newPages.size) return
      // a launch = a new page arriving together with its scaffold
      const launched = added.find((r): r is TLShape => r.typeName === 'shape' && isScaffold(r) && newPages.has(editor.getAncestorPageId(r) as TLPageId))
      if (!launched) return
      const pageId = editor.getAncestorPageId(launched)
      if (pageId && editor.getPage(pageId)) goTo(editor, pageId)
    },
    { source: 'remote', scope: 'document' },
  )
}
