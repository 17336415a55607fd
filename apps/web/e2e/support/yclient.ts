/** A raw y-websocket client in Node: what the SERVER holds for a board (not what a browser shows). */
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { readRecords, richTextToPlain } from '@copboard/board'

/** Connects, syncs, returns the notes' plain text by shape id, disconnects. */
export async function serverNoteTexts(base: string, room: string, token: string | null): Promise<Map<string, string>> {
  const doc = new Y.Doc()
  const ws = base.replace(/^http/, 'ws') + '/sync'
  const provider = new WebsocketProvider(ws, room, doc, { WebSocketPolyfill: WebSocket as never, params: token ? { token } : {}, disableBc: true })
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('raw client: no sync within 10 s')), 10_000)
      provider.on('sync', (s: boolean) => s && (clearTimeout(t), resolve()))
    })
    const out = new Map<string, string>()
    for (const r of readRecords(doc) as any[]) if (r.typeName === 'shape' && r.props?.richText) out.set(r.id, richTextToPlain(r.props.richText))
    return out
  } finally {
    provider.destroy()
    doc.destroy()
  }
}
