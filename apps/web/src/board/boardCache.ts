/**
 * The board's IndexedDB cache (y-indexeddb): a board cached here opens from it at once and
 * offline. A first visit opens it only once the board has rendered, and a big server update is
 * stored later, whole (cacheWrites.ts), so that neither costs the first render an encoding.
 */
import type * as Y from 'yjs'
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import { markCached } from './cacheMark'

type UpdateListener = (update: Uint8Array, origin: unknown) => void

export class BoardCache {
  /** The IndexedDB cache (on a first visit opened only once the board has rendered). */
  private idb: IndexeddbPersistence | null
  private pending = false
  private destroyed = false

  /** `openNow`: the board was cached before (a first visit passes false and caches later). */
  constructor(
    private readonly room: string,
    private readonly doc: Y.Doc,
    /** The board has been painted once. */
    private readonly rendered: Promise<void>,
    openNow: boolean,
  ) {
    this.idb = openNow ? this.open() : null
  }

  /** Resolves when the cache has been loaded into the doc; null while the cache is not open. */
  get whenSynced(): Promise<unknown> | null {
    return this.idb?.whenSynced ?? null
  }

  /** y-indexeddb's 'update' listener on the doc (the one that stores each update), if open. */
  get updateListener(): UpdateListener | undefined {
    return (this.idb as unknown as { _storeUpdate?: UpdateListener } | null)?._storeUpdate
  }

  /** The board's IndexedDB cache; once open, the board counts as cached for the next visit. */
  private open(): IndexeddbPersistence {
    const idb = new IndexeddbPersistence(`copboard:${this.room}`, this.doc)
    void idb.whenSynced.then(() => markCached(this.room)).catch(() => {})
    return idb
  }

  /**
   * The whole doc into the IndexedDB cache, once the board has rendered and the page is idle. On a
   * first visit that opens the cache: y-indexeddb stores the whole doc when it opens.
   */
  cacheWholeDocLater(): void {
    if (this.pending || typeof indexedDB === 'undefined') return
    this.pending = true
    void this.rendered.then(() => {
      const store = () => {
        this.pending = false
        if (this.destroyed) return
        const idb = this.idb
        if (!idb) {
          this.idb = this.open()
          return
        }
        void idb.whenSynced.then(() => (this.destroyed ? undefined : storeState(idb))).catch(() => {})
      }
      if (typeof requestIdleCallback === 'function') requestIdleCallback(store, { timeout: 1000 })
      else setTimeout(store, 0)
    })
  }

  destroy(): void {
    this.destroyed = true
    this.idb?.destroy()
  }
}
