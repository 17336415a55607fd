import * as Y from 'yjs'
import { createTLStore, defaultShapeUtils, defaultBindingUtils, NoteShapeUtil, toRichText, type TLStore } from 'tldraw'
import { DocumentRecordType, PageRecordType, type TLRecord, type TLShapeId } from '@tldraw/tlschema'

export const pageId = PageRecordType.createId('page')

export function newStore(): TLStore {
  return createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
}

export function seed(store: TLStore) {
  store.put([DocumentRecordType.create({ id: 'document:document' } as any), PageRecordType.create({ id: pageId, name: 'Page 1', index: 'a1' as any })])
}

export function note(id: string, x = 0, y = 0, text = ''): TLRecord {
  const props = NoteShapeUtil.prototype.getDefaultProps.call({})
  return {
    id: `shape:${id}` as TLShapeId, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a1', parentId: pageId,
    isLocked: false, opacity: 1, meta: {}, props: { ...props, richText: toRichText(text) },
  } as unknown as TLRecord
}

/** Two (or more) docs wired together; `connected=false` queues updates until reconnect. */
export class Net {
  docs: Y.Doc[] = []
  connected = true
  private queue: [Y.Doc, Uint8Array][] = []
  add(doc = new Y.Doc()) {
    for (const other of this.docs) Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'net')
    this.docs.push(doc)
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === 'net') return
      for (const d of this.docs) if (d !== doc) {
        if (this.connected) Y.applyUpdate(d, u, 'net')
        else this.queue.push([d, u])
      }
    })
    return doc
  }
  reconnect() {
    this.connected = true
    const q = this.queue
    this.queue = []
    for (const [d, u] of q) Y.applyUpdate(d, u, 'net')
  }
}

export function docShapes(store: TLStore) {
  return store.allRecords().filter((r) => r.typeName === 'shape' || r.typeName === 'page').sort((a, b) => a.id.localeCompare(b.id))
}
export function textOf(r: any): string {
  return (r?.props?.richText?.content ?? []).flatMap((p: any) => p.content ?? []).map((t: any) => t.text).join('')
}
