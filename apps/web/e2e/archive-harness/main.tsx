/**
 * ARCHIVE's e2e harness: the home and CoP pages as they are, plus a minimal board page (tldraw +
 * y-websocket with the link token + BOARD's binding + TPL's launch + ARCHIVE's end button), used
 * until BOARD's full app serves /b/<room>. Served by the real server (WEB_DIST_DIR).
 */
import { StrictMode, useEffect, useMemo, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { Tldraw, createTLStore, defaultBindingUtils, defaultShapeUtils, toRichText, type Editor } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { bindStoreToDoc } from '@copboard/board'
import { getTemplate } from '@copboard/templates'
import { launchTemplate } from '../../src/templates/launch'
import { HomePage } from '../../src/home'
import { CopPage, EndSessionButton, api, tokenFromHash, type Session } from '../../src/archive'

const assetUrls = getAssetUrlsByImport()

function Board({ room }: { room: string }) {
  const token = useMemo(() => tokenFromHash() ?? '', [])
  const [me, setMe] = useState<{ role: string; copId: string; session: Session; boardRole: string } | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [synced, setSynced] = useState(false)
  const store = useMemo(() => createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils }), [])
  useEffect(() => {
    fetch(`/api/me?room=${room}`, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => r.json())
      .then(setMe)
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`, room, doc, { params: { token } })
    let binding: { unbind(): void } | null = null
    provider.once('sync', () => {
      binding = bindStoreToDoc(store as never, doc, {})
      setSynced(true)
    })
    return () => {
      binding?.unbind()
      provider.destroy()
    }
  }, [room, token, store])
  useEffect(() => {
    if (editor && me?.boardRole === 'viewer') editor.updateInstanceState({ isReadonly: true })
    ;(window as unknown as { editor: Editor }).editor = editor!
    ;(window as unknown as { toRichText: typeof toRichText }).toRichText = toRichText
  }, [editor, me])
  const [session, setSession] = useState<Session | null>(null)
  const s = session ?? me?.session ?? null
  return (
    <div style={{ position: 'fixed', inset: 0, display: 'flex', flexDirection: 'column' }}>
      <div style={{ display: 'flex', gap: 8, padding: 6, alignItems: 'center', borderBottom: '1px solid #ddd', font: '14px system-ui' }} data-testid="board-bar" data-synced={synced ? '1' : '0'}>
        <b>{s ? `Sessie ${s.number}: ${s.title}` : '…'}</b>
        <span data-testid="board-role">{me?.boardRole}</span>
        <span data-testid="board-state">{s?.state}</span>
        {me?.role === 'facilitator' && editor && s && (
          <>
            {s.state === 'planned' && (
              <button data-testid="start-session-board" onClick={async () => setSession((await api.start(token, me.copId, s.id)).session)}>
                Sessie starten
              </button>
            )}
            <button data-testid="launch-comedy" onClick={() => launchTemplate(editor, getTemplate('comedy')!, { lang: 'nl', animate: false })}>
              Komedie starten
            </button>
            {s.state === 'live' && <EndSessionButton editor={editor} token={token} copId={me.copId} sessionId={s.id} sessionNumber={s.number} />}
          </>
        )}
      </div>
      <div style={{ position: 'relative', flex: 1 }}>
        {synced && <Tldraw store={store} assetUrls={assetUrls} onMount={setEditor} />}
      </div>
    </div>
  )
}

function App() {
  const path = location.pathname
  const cop = /^\/cop\/([A-Za-z0-9_-]+)/.exec(path)
  const board = /^\/b\/([A-Za-z0-9_-]+)/.exec(path)
  if (cop) return <CopPage copId={cop[1]} />
  if (board) return <Board room={board[1]} />
  return <HomePage />
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
