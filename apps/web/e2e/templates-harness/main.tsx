/**
 * e2e-only harness for issue 5 (owned by TPL): a tldraw board with the TemplatesPanel, the role from
 * `?role=` (stand-in for board/role.ts until BOARD's app lands) and a BroadcastChannel "sync" between
 * tabs that applies incoming changes with mergeRemoteChanges (source 'remote'), like the Yjs binding.
 */
import { createRoot } from 'react-dom/client'
import { useEffect, useState } from 'react'
import { Tldraw, type Editor, type TLRecord } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'
import { TemplatesPanel } from '../../src/templates'

const params = new URLSearchParams(location.search)
const role = params.get('role') ?? 'participant'
const name = params.get('name') ?? role
const assetUrls = getAssetUrlsByImport()

function syncTabs(editor: Editor) {
  const ch = new BroadcastChannel('copboard-tpl-harness')
  const stop = editor.store.listen(
    ({ changes }) => {
      const put = [...Object.values(changes.added), ...Object.values(changes.updated).map(([, to]) => to)].filter((r) => r.typeName !== 'instance_page_state' && r.typeName !== 'camera')
      const removed = Object.keys(changes.removed)
      if (put.length || removed.length) ch.postMessage({ put, removed })
    },
    { source: 'user', scope: 'document' },
  )
  ch.onmessage = (e: MessageEvent<{ put: TLRecord[]; removed: TLRecord['id'][] }>) => {
    editor.store.mergeRemoteChanges(() => {
      if (e.data.removed.length) editor.store.remove(e.data.removed)
      if (e.data.put.length) editor.store.put(e.data.put)
    })
  }
  // late joiner asks for the document
  ch.postMessage({ put: [], removed: [], hello: true })
  const onHello = (e: MessageEvent<{ hello?: boolean }>) => {
    if (e.data.hello) ch.postMessage({ put: editor.store.allRecords().filter((r) => ['shape', 'page', 'binding', 'document'].includes(r.typeName)), removed: [] })
  }
  ch.addEventListener('message', onHello)
  return () => {
    stop()
    ch.close()
  }
}

function App() {
  const [editor, setEditor] = useState<Editor | null>(null)
  useEffect(() => {
    if (!editor) return
    editor.user.updateUserPreferences({ name })
    ;(window as unknown as { editor: Editor }).editor = editor
    return syncTabs(editor)
  }, [editor])
  return (
    <div style={{ position: 'fixed', inset: 0 }}>
      <Tldraw assetUrls={assetUrls} onMount={setEditor} />
      {editor && <TemplatesPanel editor={editor} isFacilitator={role === 'facilitator'} titleDefaults={{ copName: 'CoP Warmtetransitie (voorbeeld)', sessionNumber: 1, date: '2026-09-14' }} />}
    </div>
  )
}

createRoot(document.getElementById('root')!).render(<App />)
