/** /b/:room — the board: access, join flow, Yjs connection, tldraw, presence, extension panels. */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { react, Tldraw, type Editor, type TLComponents } from 'tldraw'
import 'tldraw/tldraw.css'
import './board.css'
import { setLang, useLang, useT } from '../i18n'
import { PageLoading } from '../App'
import { useBoardAccess, type BoardAccess } from './role'
import { boardMessages } from './messages'
import { BoardConnection } from './sync'
import { ReadonlyBanner } from './BoardChrome'
import { PolicyNotice } from './PolicyNotice'
import { BoardExtensions } from './BoardExtensions'
import { BoardHeader } from './BoardHeader'
import { NoteBadges } from './NoteBadges'
import { installNoteAuthorship, type Identity } from './notes'
import { FacilitatorShell } from '../facilitation/FacilitatorPanel'
import { PrivateDrafts } from '../privacy/drafts'
import { PrivateBanner } from '../privacy/PrivateBanner'
import { participantIdOf } from '../privacy/participant'
import { anonymousPresenceFilter } from '../templates'
import { randomColor } from '../join/profile'
import { JoinDialog } from '../join/JoinDialog'
import { useProfile, type Profile } from '../join/profile'
import type { RouteParams } from '../routes'
import { tldrawAssetUrls } from '../tldrawAssets'
import { loadConfig } from '../config'
import { noteTextOptions } from './noteText'
import { BoardNoteShapeUtil } from './noteShape'
import { BoardArrowShapeUtil, BoardDrawShapeUtil, BoardGeoShapeUtil } from './patternFill'
import { isBlockingLicenceState, LicenceNotice } from './LicenceNotice'
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
  const facilitator = access.role === 'facilitator'
  const join = (
    <JoinDialog
      initial={profile}
      showFacilitatorFlag={!access.verified}
      facilitatorFlag={facilitator}
      asFacilitator={access.verified && facilitator}
      title={access.copName ?? undefined}
      onDone={() => setEditingProfile(false)}
    />
  )
  // viewers only look: no join form about names and note colours
  const viewerProfile = access.role === 'viewer' ? (profile ?? { name: t('viewer'), perspective: 'overig' as const, color: '#868e96' }) : null
  const shown = viewerProfile ?? profile
  if (!shown) {
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
      <Board access={access} profile={shown} onEditProfile={onEditProfile} />
      {editingProfile && access.role !== 'viewer' && join}
    </>
  )
}

function Board({ access, profile, onEditProfile }: { access: BoardAccess; profile: Profile; onEditProfile: () => void }) {
  const t = useT(boardMessages)
  const lang = useLang()
  // the facilitator ("procesbegeleider") and viewers take part without a perspective
  const identity: Identity = useMemo(
    () => ({ name: profile.name, color: profile.color || randomColor(), perspective: access.role === 'participant' ? profile.perspective : null, role: access.role }),
    [profile, access.role],
  )
  const conn = useMemo(
    () => new BoardConnection(access.room, access.token, identity),
    // one connection per room/token; profile changes go through setUser below
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [access.room, access.token],
  )
  useEffect(() => () => conn.destroy(), [conn])
  useEffect(() => conn.setUser(identity), [conn, identity])
  const roleRef = useRef(access.role)
  roleRef.current = access.role
  const [drafts, setDrafts] = useState<PrivateDrafts | null>(null)

  const [ready, setReady] = useState(false)
  const [licenseKey, setLicenseKey] = useState<string | undefined>()
  useEffect(() => {
    let live = true
    let made: PrivateDrafts | null = null
    Promise.all([conn.ready, loadConfig()]).then(([, cfg]) => {
      if (!live) return
      setLicenseKey(cfg.tldrawLicenseKey ?? undefined)
      made = new PrivateDrafts(conn.doc, conn.store, {
        room: access.room,
        token: access.token,
        secret: conn.participantSecret,
        participantId: participantIdOf(conn.participantSecret),
        canWritePrivately: () => roleRef.current === 'participant',
      })
      setDrafts(made)
      setReady(true)
    })
    return () => {
      live = false
      made?.destroy()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
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
  // the server turned a writer's board read-only: the session ended meanwhile; learn it (banner, notice)
  const { reload } = access
  const endedUnseen = conn.serverReadonly && access.role !== 'viewer' && access.session?.state === 'live'
  useEffect(() => {
    if (endedUnseen) reload?.()
  }, [endedUnseen, reload])

  const [editor, setEditor] = useState<Editor | null>(null)
  const editorRef = useRef<Editor | null>(null)
  const identityRef = useRef(identity)
  identityRef.current = identity
  // one TipTap configuration per connection: tldraw re-creates its text editor when it changes
  const tldrawOptions = useMemo(
    () => ({
      text: noteTextOptions({
        editor: () => editorRef.current,
        fragment: (id) => (conn.serverReadonly || conn.binding?.readonly ? null : (conn.binding?.textFragment(id) ?? null)),
        awareness: conn.provider.awareness,
      }),
    }),
    [conn],
  )

  // tldraw's licence state (read only): the states in which tldraw hides the board get an explanation
  const [licenceState, setLicenceState] = useState<string | null>(null)
  useEffect(() => {
    const manager = (editor as unknown as { licenseManager?: { state: { get(): string } } } | null)?.licenseManager
    if (!manager) return
    return react('copboard licence state', () => setLicenceState(manager.state.get()))
  }, [editor])

  useEffect(() => {
    if (!editor) return
    ;(window as unknown as { editor?: Editor; copboard?: unknown }).editor = editor
    ;(window as unknown as { copboard?: unknown }).copboard = { conn, editor, drafts }
    const offs = [installNoteAuthorship(editor, () => identityRef.current), drafts ? drafts.install(editor) : () => {}]
    // anonymous zones: no cursor or selection of ours announced there (the server enforces it too)
    const anon = anonymousPresenceFilter(editor)
    conn.presenceFilter = anon.filter
    return () => {
      offs.forEach((off) => off())
      anon.dispose()
      conn.presenceFilter = (p) => p
    }
  }, [editor, conn, drafts])
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

  // the session state as this board knows it (the facilitator may start/end it from the panel)
  const [sessionState, setSessionState] = useState(access.session?.state ?? null)
  useEffect(() => setSessionState(access.session?.state ?? null), [access.session?.state])
  const isFacilitator = access.role === 'facilitator'
  const [panelOpen, setPanelOpen] = useState(() => typeof innerWidth === 'undefined' || innerWidth >= 900)
  const [galleryOpen, setGalleryOpen] = useState(false)
  const openGallery = useCallback(() => setGalleryOpen(true), [])

  if (!ready || !drafts) return <PageLoading />
  if (isBlockingLicenceState(licenceState)) return <LicenceNotice state={licenceState!} />
  const showPanel = isFacilitator && panelOpen && !!editor
  return (
    <div className="cb-board" data-testid="board" data-readonly={readonly} data-panel={showPanel}>
      <BoardHeader
        access={access}
        conn={conn}
        sessionState={sessionState}
        onEditProfile={onEditProfile}
        panel={isFacilitator ? { open: panelOpen, toggle: () => setPanelOpen((o) => !o), controls: 'cb-facilitator-panel' } : undefined}
      />
      <div className="cb-board__main">
        <div className="cb-board__canvas">
          <Tldraw
            store={conn.store}
            shapeUtils={shapeUtils}
            assetUrls={tldrawAssetUrls}
            licenseKey={licenseKey}
            components={components}
            options={tldrawOptions}
            onMount={(e) => {
              editorRef.current = e
              setEditor(e)
              conn.timings.mounted ??= performance.now()
              // after the first paint: the notes outside the first view follow (sync.ts)
              requestAnimationFrame(() => setTimeout(conn.markRendered, 0))
            }}
          />
          {readonlyReason && <ReadonlyBanner text={t(readonlyReason)} />}
          {readonlyReason === 'readonlyEnded' && <LiveSessionNotice token={access.token} copId={access.copId} room={access.room} />}
          <PolicyNotice refusal={conn.refusal} />
          <PrivateBanner drafts={drafts} />
          {editor && <BoardExtensions editor={editor} access={access} readonly={readonly} conn={conn} galleryOpen={galleryOpen} setGalleryOpen={setGalleryOpen} />}
        </div>
        {showPanel && (
          <FacilitatorShell
            id="cb-facilitator-panel"
            editor={editor!}
            access={access}
            conn={conn}
            drafts={drafts}
            readonly={readonly}
            openGallery={openGallery}
            sessionState={sessionState}
            setSessionState={setSessionState}
          />
        )}
      </div>
    </div>
  )
}

/** In front of the canvas: perspective badges, private locks, the perspective highlight. */
const components: TLComponents = { InFrontOfTheCanvas: NoteBadges }
/**
 * Notes that stay cheap on boards with thousands of them (noteShape.tsx); pattern fills drawn
 * when needed, not at mount (patternFill.tsx).
 */
const shapeUtils = [BoardNoteShapeUtil, BoardGeoShapeUtil, BoardDrawShapeUtil, BoardArrowShapeUtil]
