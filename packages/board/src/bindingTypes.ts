/** Options and handle of `bindStoreToDoc` (binding.ts). */
import type * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { Scheduler } from './scheduler.js'
import type { DocSchemaStatus } from './schema.js'
import type { LaterOptions } from './firstLoad.js'

export interface BindOptions {
  /** Transaction origin for the binding's writes; defaults to a fresh object. */
  userOrigin?: unknown
  /** How local changes are batched; default `frameScheduler`. */
  scheduler?: Scheduler
  /**
   * How remote changes are batched (rule 13); default: applied at once. With `frameScheduler`
   * the records changed since the last apply are read from the doc and put in one store
   * transaction per frame, however many updates arrived; `pacedScheduler()` also leaves the page
   * as much time as the last run took. The first load's chunks (rule 14) go through it too.
   */
  remoteScheduler?: Scheduler
  /** Called when the doc's schema status is known / changes ('newer' = read-only). */
  onSchemaStatus?: (status: DocSchemaStatus) => void
  /** Called for each record from the doc that was rejected. */
  onRejected?: (id: string, reason: string) => void
  /**
   * True while this client's own rich-text editor shows the record's fragment (ySync keeps the
   * editor and, through it, the store's `props.richText` current): remote changes then never
   * replace the store's text object under the editor (README rule 9).
   */
  isTextLive?: (id: string) => boolean
  /** Delay of the mirror write after typing into a fragment (README rule 8); default 1000 ms. */
  mirrorDelayMs?: number
  /**
   * Which document records this binding carries (default: all). Private mode binds one store to
   * two docs: the board (everything but private shapes) and the participant's draft (only those).
   */
  include?: (record: TLRecord) => boolean
  /**
   * Opening a big board: which records may be put into the store after the first render, in
   * chunks (firstLoad.ts). Default: all at once.
   */
  later?: LaterOptions
}

export interface BoardBinding {
  (): void
  /** Stops syncing (pending local changes are flushed first). */
  unbind(): void
  /** Writes pending local changes now (and pending text mirrors). */
  flush(): void
  /**
   * The record's text fragment, created from its current text when the record has none yet
   * (boards from before fragments); null when the record is not in the doc or has no text.
   */
  textFragment(id: string): Y.XmlFragment | null
  /** True when the doc holds a newer schema than this client: local changes are not written. */
  readonly readonly: boolean
  readonly origin: unknown
}
