/**
 * The web app's files (plugins/static.ts): the build's Brotli/gzip copies (apps/web
 * scripts/precompress.mjs) go to browsers that accept them, hashed assets are cached for good and
 * pages revalidated, and every answer varies by Accept-Encoding.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import staticPlugin from '../src/plugins/static.js'

let root: string
let app: FastifyInstance
const script = `console.log(${JSON.stringify('bord '.repeat(2000))})`

beforeAll(async () => {
  // deployed below a folder named assets: only the root's own assets/ is cached for good
  root = join(mkdtempSync(join(tmpdir(), 'copboard-static-')), 'assets', 'site')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>copboard</title>')
  writeFileSync(join(root, 'assets', 'board-abc123.js'), script)
  writeFileSync(join(root, 'assets', 'board-abc123.js.br'), brotliCompressSync(script))
  writeFileSync(join(root, 'assets', 'board-abc123.js.gz'), gzipSync(script))
  app = Fastify()
  await app.register(staticPlugin, { root })
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  rmSync(join(root, '..', '..'), { recursive: true, force: true })
})

const get = (url: string, encoding?: string) => app.inject({ url, headers: encoding ? { 'accept-encoding': encoding } : {} })

describe('static files', () => {
  it('a precompressed asset goes as Brotli or gzip to a browser that accepts it, as it is otherwise', async () => {
    const br = await get('/assets/board-abc123.js', 'gzip, deflate, br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script)
    expect(Number(br.headers['content-length'])).toBeLessThan(script.length / 10)
    const gz = await get('/assets/board-abc123.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script)
    const plain = await get('/assets/board-abc123.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.payload).toBe(script)
    for (const r of [br, gz, plain]) {
      expect(r.headers['content-type']).toMatch(/^(application|text)\/javascript/)
      expect(r.headers.vary).toMatch(/accept-encoding/i)
    }
  })

  it('hashed assets are cached for good, pages are revalidated', async () => {
    expect((await get('/assets/board-abc123.js', 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get('/assets/board-abc123.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get('/')).headers['cache-control']).toBe('no-cache')
    const page = await get('/b/some-room')
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.payload).toContain('<title>copboard</title>')
  })
})
