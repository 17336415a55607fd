/**
 * Memory: Yjs decodes the values of every map entry and array run (ContentAny) into an array
 * grown by `push`, and V8 gives an array pushed once room for 17 values: 152 bytes of elements
 * where one value needs 24. On a board (every record field is a ContentAny of one value) that is
 * about a quarter of the document's heap: a 200-note board takes 2,585 KiB, 1,986 KiB once those
 * arrays are exact-size copies. The copies hold the same values (ContentAny never mutates its
 * array in place: splits and merges assign new ones), so nothing else can tell.
 */
import * as Y from 'yjs'

/** Written bytes after which the values decoded meanwhile are compacted. */
const COMPACT_AFTER_BYTES = 16 * 1024

/** A room document's value arrays, compacted off the message path (from a macrotask of their own). */
export class ContentArrays {
  /** client id -> clock up to which its structs were compacted */
  private readonly done = new Map<number, number>()
  private uncompactedBytes = 0
  private pending: ReturnType<typeof setImmediate> | null = null

  constructor(private readonly doc: Y.Doc) {}

  /** Updates of `bytes` were applied (and persisted). */
  written(bytes: number): void {
    this.uncompactedBytes += bytes
    if (this.uncompactedBytes >= COMPACT_AFTER_BYTES) this.schedule()
  }

  /** Compacts what was applied so far, soon. */
  schedule(): void {
    this.uncompactedBytes = 0
    this.pending ??= setImmediate(() => {
      this.pending = null
      this.compact()
    })
  }

  destroy(): void {
    if (this.pending) clearImmediate(this.pending)
    this.pending = null
  }

  /** Copies the arrays of the structs added since the last call; returns how many were replaced. */
  compact(): number {
    let replaced = 0
    for (const [client, structs] of this.doc.store.clients) {
      const last = structs[structs.length - 1]
      const end = last.id.clock + last.length
      const from = this.done.get(client) ?? 0
      if (end <= from) continue
      this.done.set(client, end)
      // structs may have been merged or split since: start at the one holding `from`
      for (let i = from === 0 ? 0 : Y.findIndexSS(structs, from); i < structs.length; i++) {
        const s = structs[i]
        if (s instanceof Y.Item && s.content instanceof Y.ContentAny) {
          s.content.arr = s.content.arr.slice()
          replaced++
        }
      }
    }
    return replaced
  }
}
