/**
 * The BUILT server as a child process (dist/main.js, as in production and the cluster tests;
 * `pnpm build` first): kill -9 while one client writes and another observes; after a restart the
 * FIRST sync of a new client holds everything observed.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { openStorage } from '@copboard/storage'
import { provider, synced, waitFor } from './sync-harness.js'

const serverDir = join(import.meta.dirname, '..')
const SERVER_MAIN = join(serverDir, 'dist/main.js')
const dataDir = mkdtempSync(join(tmpdir(), 'copboard-kill-'))
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

/** A board through the real REST API (production auth is on in the child). */
async function createBoard(url: string): Promise<{ room: string; params: Record<string, string> }> {
  const http = url.replace(/^ws/, 'http').replace(/\/sync$/, '')
  const res = await fetch(`${http}/api/cops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Durability CoP' }),
  })
  // without the REST API (sync-only build) the default authorizer allows everyone
  if (res.status === 404) return { room: `r${Date.now()}`, params: {} }
  const body = (await res.json()) as { session: { room: string }; boardLinks: { participant: string } }
  return { room: body.session.room, params: { token: body.boardLinks.participant.split('#t=')[1] } }
}

function start(env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`build first: \`pnpm build\` (missing ${SERVER_MAIN})`)
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    child.stdout!.on('data', (d) => {
      out += d
      const m = /running at http:\/\/([^/]+)\//.exec(out)
      if (m) resolve({ child, url: `ws://${m[1]}/sync` })
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)))
  })
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())))

describe('durability', () => {
  it.each([
    ['', {}],
    [' (§8.2: compacting every 20 entries, the document\'s state replacing the log)', { COMPACT_AFTER_UPDATES: '20' }],
  ])('§5.1 §2.1 every update an observer received survives kill -9 and is in the first sync after restart%s', async (_label, env: Record<string, string>) => {
    const { child, url } = await start(env)
    const { room, params } = await createBoard(url)
    const writer = provider(url, room, new Y.Doc(), params)
    const observer = provider(url, room, new Y.Doc(), params)
    await Promise.all([synced(writer), synced(observer)])
    const seen = new Set<number>()
    observer.doc.getArray<number>('log').observe((e) => {
      for (const d of e.changes.delta) if (d.insert) for (const v of d.insert as number[]) seen.add(v)
    })
    let i = 0
    const timer = setInterval(() => {
      for (let k = 0; k < 5; k++) writer.doc.getArray<number>('log').push([i++])
    }, 5)
    await waitFor(() => seen.size >= 300, 'observer to see updates')
    child.kill('SIGKILL') // mid-stream: the writer keeps writing
    await exited(child)
    clearInterval(timer)
    writer.destroy()
    observer.destroy()
    const observed = [...seen]
    expect(observed.length).toBeGreaterThan(0)

    const second = await start()
    const late = provider(second.url, room, new Y.Doc(), params)
    const firstSync = new Promise<number[]>((resolve) =>
      late.once('sync', () => resolve(late.doc.getArray<number>('log').toArray())),
    )
    const content = new Set(await firstSync)
    const missing = observed.filter((v) => !content.has(v))
    expect(missing).toEqual([])
    if (env.COMPACT_AFTER_UPDATES) {
      // the log was compacted on the way (one push is one update; the first sync moved the journal in)
      const storage = await openStorage({ dataDir })
      const entries = await storage.countUpdates(room)
      await storage.close()
      expect(entries).toBeLessThan(observed.length / 4)
    }
    late.destroy()
    second.child.kill('SIGKILL')
    await exited(second.child)
  }, 60_000)

  it('§10.1 SIGTERM: sockets close with 1001, edits survive a clean restart', async () => {
    const { child, url } = await start()
    const { room, params } = await createBoard(url)
    const a = provider(url, room, new Y.Doc(), params)
    await synced(a)
    a.doc.getText('t').insert(0, 'before restart')
    const b = provider(url, room, new Y.Doc(), params)
    await synced(b)
    await waitFor(() => b.doc.getText('t').toString() === 'before restart', 'b sees the edit')
    const codes: number[] = []
    b.on('connection-close', (ev) => ev && codes.push(ev.code))
    child.kill('SIGTERM')
    await exited(child)
    expect(child.exitCode).toBe(0)
    // the shutdown ran to its end: storage closed, its append journal moved and removed
    // (storage SPEC 1.6/1.7; the checkpoint worker once kept close() from finishing)
    expect(readdirSync(dataDir).filter((f) => f.includes('-appends-'))).toEqual([])
    await waitFor(() => codes.length > 0, 'close event')
    expect(codes[0]).toBe(1001)
    a.destroy()
    b.destroy()
    const second = await start()
    const c = provider(second.url, room, new Y.Doc(), params)
    await synced(c)
    expect(c.doc.getText('t').toString()).toBe('before restart')
    c.destroy()
    second.child.kill('SIGTERM')
    await exited(second.child)
  }, 60_000)
})
