/**
 * The `props.richText` mirror of a record's text fragment (rule 8): written by the typing client
 * at most once per `delayMs` after typing, and rewritten by whoever wrote last when a peer's
 * mirror raced ours.
 */
import * as Y from 'yjs'
import { fragmentToRichText, getTextFragment, sameRichText } from './text.js'

export interface TextMirror {
  /** Writes the record's mirror after the delay (once per delay, however many keystrokes). */
  schedule(id: string): void
  /** True when this client wrote the record's mirror within the last 5 s. */
  recentlyMirrored(id: string): boolean
  /** Writes every scheduled mirror now. */
  flush(): void
  /** Drops scheduled mirrors without writing them. */
  stop(): void
}

export function createTextMirror(doc: Y.Doc, records: Y.Map<Y.Map<unknown>>, origin: unknown, delayMs: number, readonly: () => boolean): TextMirror {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const mirroredAt = new Map<string, number>()
  let stopped = false

  /** Writes the fragment's rendering as `props.richText` where the stored mirror differs. */
  const write = (ids: Iterable<string>) => {
    if (readonly()) return
    doc.transact(() => {
      for (const id of ids) {
        const rec = records.get(id)
        const frag = getTextFragment(rec)
        const props = rec instanceof Y.Map ? rec.get('props') : null
        if (!frag || !(props instanceof Y.Map) || frag.length === 0) continue
        const rendered = fragmentToRichText(frag)
        if (!sameRichText(props.get('richText'), rendered)) props.set('richText', rendered as any)
        mirroredAt.set(id, Date.now())
      }
    }, origin)
  }

  return {
    schedule(id) {
      if (timers.has(id) || stopped) return
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id)
          if (!stopped) write([id])
        }, delayMs),
      )
    },
    recentlyMirrored: (id) => (mirroredAt.get(id) ?? 0) > Date.now() - 5000,
    flush() {
      const ids = [...timers.keys()]
      for (const t of timers.values()) clearTimeout(t)
      timers.clear()
      if (ids.length) write(ids)
    },
    stop() {
      stopped = true
      for (const t of timers.values()) clearTimeout(t)
      timers.clear()
    },
  }
}
