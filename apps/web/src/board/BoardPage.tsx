/** /b/:room — the board: access, join flow, Yjs connection, tldraw, presence, extension panels. */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { react, Tldraw, type Editor, type TLComponents } from 'tldraw'
import 'tldraw/tldraw.css'
import './board.css'
import { setLang, useLang, useT } from '../i18n'
import { PageLoading } from '../App'
import { useBoardAccess, type BoardAccess } from './role'
import { boardMessages } from './messages'
import { BoardConnection } from './sync'
import { ConnectionBadge, LanguageSwitch, Participants, ReadonlyBanner } from './BoardChrome'
import { PolicyNotice } from './PolicyNotice'
import { BoardExtensions } from './BoardExtensions'
import { installNoteAuthorship } from './notes'
import { JoinDialog } from '../join/JoinDialog'
import { loadProfile, useProfile, type Profile } from '../join/profile'
import type { RouteParams } from '../routes'
import { tldrawAssetUrls } from '../tldrawAssets'
import { loadConfig } from '../config'
import { LiveSessionNotice } from '../archive/LiveSessionNotice'

export function BoardPage({ params }: { params: RouteParams }) {
  const room = params.room
  const access = useBoardAccess(room)
  const profile = useProfile()
  const [editingProfile, setEditingProfile] = useState(false)
  const onEditProfile = useCallback(() => setEditingProfile(true), [])
  const t = useT(boardMessages)

  if (access.status === 'loading') return <PageLoading />
  if (access.status === 'denied') {
    const key = access.error === 'unauthorized' ? 'deniedUnauthorized' : access.error === 'forbidden' ? 'deniedForbidden' : 'deniedNotFound'
    return (
      <main className="cb-denied" data-testid="access-denied">
        <h1>{t('deniedTitle')}</h1>
        <p>{t(key)}</p>
        <a href="/">{t('home')}</a>
      </main>
    )
  }
  const join = (
    <JoinDialog
      initial={profile}
      showFacilitatorFlag={!access.verified}
      facilitatorFlag={access.role === 'facilitator'}
      title={access.copName ?? undefined}
      onDone={() => setEditingProfile(false)}
    />
  )
  if (!profile) {
    return (
      <>
        <div className="cb-board-placeholder" />
        {join}
      </>
    )
  }
  // editing name/perspective later keeps the board (and its connection) mounted underneath
  return (
    <>
      <Board access={access} profile={profile} onEditProfile={onEditProfile} />
      {editingProfile && join}
    </>
  )
}

function Board({ access, profile, onEditProfile }: { access: BoardAccess; profile: Profile; onEditProfile: () => void }) {
  const t = useT(boardMessages)
  const lang = useLang()
  const conn = useMemo(
    () => new BoardConnection(access.room, access.token, { ...profile, role: access.role }),
    // one connection per room/token; profile changes go through setUser below
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [access.room, access.token],
  )
  useEffect(() => () => conn.destroy(), [conn])
  useEffect(() => conn.setUser({ ...profile, role: access.role }), [conn, profile, access.role])

  const [ready, setReady] = useState(false)
  const [licenseKey, setLicenseKey] = useState<string | undefined>()
  useEffect(() => {
    let live = true
    Promise.all([conn.ready, loadConfig()]).then(([, cfg]) => {
      if (!live) return
      setLicenseKey(cfg.tldrawLicenseKey ?? undefined)
      setReady(true)
    })
    return () => {
      live = false
    }
  }, [conn])

  const snapshot = useSyncExternalStore(
    (cb) => conn.subscribe(cb),
    () => `${conn.state}|${conn.serverReadonly}|${conn.schemaReadonly}|${conn.refusal?.seq ?? 0}|${conn.peers.map((p) => `${p.clientId}:${p.name}:${p.color}:${p.perspective}:${p.role}`).join(',')}`,
  )
  void snapshot

  const readonlyReason =
    access.role === 'viewer' || conn.serverReadonly
      ? access.session?.state === 'ended'
        ? 'readonlyEnded'
        : 'readonlyViewer'
      : conn.schemaReadonly
        ? 'readonlySchema'
        : null
  const readonly = readonlyReason !== null

  const [editor, setEditor] = useState<Editor | null>(null)
  const profileRef = useRef(profile)
  profileRef.current = profile

  useEffect(() => {
    if (!editor) return
    ;(window as unknown as { editor?: Editor; copboard?: unknown }).editor = editor
    ;(window as unknown as { copboard?: unknown }).copboard = { conn, editor }
    return installNoteAuthorship(editor, () => profileRef.current ?? loadProfile())
  }, [editor, conn])
  useEffect(() => {
    editor?.user.updateUserPreferences({ locale: lang, name: profile.name, color: profile.color })
  }, [editor, lang, profile])
  useEffect(() => {
    if (!editor) return
    // tldraw's own language menu switches the app language too (nl/en)
    return react('copboard locale', () => {
      const l = editor.user.getLocale()
      if ((l === 'nl' || l === 'en') && l !== lang) setLang(l)
    })
  }, [editor, lang])
  useEffect(() => {
    editor?.updateInstanceState({ isReadonly: readonly })
  }, [editor, readonly])

  const chrome = useMemo(() => ({ conn, onEditProfile }), [conn, onEditProfile])

  if (!ready) return <PageLoading />
  return (
    <div className="cb-board" data-testid="board" data-readonly={readonly}>
      <ChromeContext.Provider value={chrome}>
      <Tldraw
        store={conn.store}
        assetUrls={tldrawAssetUrls}
        licenseKey={licenseKey}
        components={components}
        onMount={(e) => {
          setEditor(e)
          conn.timings.mounted ??= performance.now()
        }}
      />
      {readonlyReason && <ReadonlyBanner text={t(readonlyReason)} />}
      {readonlyReason === 'readonlyEnded' && <LiveSessionNotice token={access.token} copId={access.copId} room={access.room} />}
      <PolicyNotice refusal={conn.refusal} />
      {editor && <BoardExtensions editor={editor} access={access} readonly={readonly} conn={conn} />}
      </ChromeContext.Provider>
    </div>
  )
}

const ChromeContext = createContext<{ conn: BoardConnection; onEditProfile: () => void } | null>(null)

/** tldraw's SharePanel slot (top right, laid out by tldraw beside the style panel). */
function BoardTopRight() {
  const ctx = useContext(ChromeContext)
  const conn = ctx?.conn
  useSyncExternalStore(
    (cb) => (conn ? conn.subscribe(cb) : () => {}),
    () => (conn ? `${conn.state}|${conn.peers.map((p) => `${p.clientId}:${p.name}:${p.color}:${p.perspective}:${p.role}`).join(',')}` : ''),
  )
  if (!ctx || !conn) return null
  return (
    <div className="cb-topright">
      <ConnectionBadge state={conn.state} />
      <Participants peers={conn.peers} onEditSelf={ctx.onEditProfile} />
      <LanguageSwitch />
    </div>
  )
}

const components: TLComponents = { SharePanel: BoardTopRight }
