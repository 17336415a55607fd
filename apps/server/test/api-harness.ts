/**
 * Test harness for the /api plugin: a real Fastify server on 127.0.0.1:0 with real storage —
 * SQLite in a temp dir, or PostgreSQL in its own schema when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import * as Y from 'yjs'
import { openStorage, type Storage } from '@copboard/storage'
import { writeRecords } from '@copboard/board'
import { apiPlugin, ArchiveService, DemoCop, type ArchiveServiceOptions } from '../src/plugins/api/index'

export interface ApiHarness {
  app: FastifyInstance
  storage: Storage
  archive: ArchiveService
  url: string
  close(): Promise<void>
}

export async function startApi(opts: Partial<ArchiveServiceOptions> & { createCopMax?: number; demo?: boolean; register?: (app: FastifyInstance, archive: ArchiveService) => Promise<void> } = {}): Promise<ApiHarness> {
  const databaseUrl = process.env.DATABASE_URL
  let dir: string | null = null
  let schema: string | null = null
  let storage: Storage
  if (databaseUrl) {
    schema = `copboard_apitest_${randomBytes(6).toString('hex')}`
    storage = await openStorage({ databaseUrl, pgSchema: schema, poolSize: 4 })
  } else {
    dir = mkdtempSync(join(tmpdir(), 'copboard-api-'))
    storage = await openStorage({ dataDir: dir })
  }
  const archive = new ArchiveService({ storage, autosaveMs: 0, ...opts })
  const app = Fastify({ logger: false })
  let demo: DemoCop | undefined
  if (opts.demo !== undefined) {
    demo = new DemoCop(archive, opts.demo)
    await demo.init()
  }
  await app.register(apiPlugin, { prefix: '/api', archive, demo, tldrawLicenseKey: 'test-key', createCopLimit: { max: opts.createCopMax ?? 1000, timeWindowMs: 60_000 } })
  if (opts.register) await opts.register(app, archive)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address() as { port: number }
  return {
    app,
    storage,
    archive,
    url: `http://127.0.0.1:${addr.port}`,
    async close() {
      archive.close()
      await app.close()
      await storage.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
      if (schema && databaseUrl) {
        const pgModule = 'pg' // no @types/pg in this package
        const { default: pg } = (await import(pgModule)) as { default: { Client: new (o: object) => { connect(): Promise<void>; query(q: string): Promise<unknown>; end(): Promise<void> } } }
        const c = new pg.Client({ connectionString: databaseUrl })
        await c.connect()
        try {
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        } finally {
          await c.end()
        }
      }
    },
  }
}

export function tokenOf(link: string): string {
  return link.slice(link.indexOf('#t=') + 3)
}

export async function api(h: ApiHarness, method: string, path: string, token?: string | null, body?: unknown) {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${h.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const type = res.headers.get('content-type') ?? ''
  const data = type.includes('json') ? await res.json() : type.startsWith('text') || type.includes('svg') ? await res.text() : new Uint8Array(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, data: data as any }
}

export async function createCop(h: ApiHarness, name = 'CoP Warmtetransitie') {
  const r = await api(h, 'POST', '/cops', null, { name, theme: 'Samenwerking', coHost: 'Provincie' })
  if (r.status !== 201) throw new Error(`create cop: ${r.status} ${JSON.stringify(r.data)}`)
  return {
    ...r.data,
    facilitator: tokenOf(r.data.links.facilitator),
    participant: tokenOf(r.data.links.participant),
    viewer: tokenOf(r.data.links.viewer),
  }
}

const rt = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

export function noteRecord(id: string, x: number, y: number, text: string, author = 'Cor', perspective = 'initiatief') {
  return {
    id: `shape:${id}`, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId: 'page:page', isLocked: false, opacity: 1,
    props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: rt(text), scale: 1 },
    meta: { author, perspective },
  }
}

/** An edit as a participant's client would make it: load, change, append the diff to the room's log. */
export async function editRoom(storage: Storage, room: string, fn: (doc: Y.Doc) => void): Promise<void> {
  const doc = new Y.Doc()
  const updates = await storage.loadRoom(room)
  if (updates.length) Y.applyUpdate(doc, Y.mergeUpdates(updates))
  const sv = Y.encodeStateVector(doc)
  fn(doc)
  await storage.appendUpdates(room, [Y.encodeStateAsUpdate(doc, sv)])
}

export async function addNote(storage: Storage, room: string, ...notes: ReturnType<typeof noteRecord>[]): Promise<void> {
  await editRoom(storage, room, (doc) => writeRecords(doc, notes as never))
}
