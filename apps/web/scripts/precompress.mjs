/**
 * After `vite build`: a Brotli (.br) and a gzip (.gz) copy beside every text asset of dist/, which
 * the server sends to browsers that accept them (@fastify/static `preCompressed`, Vary:
 * Accept-Encoding). The board's scripts are ~2 MB; over a municipality's network the first visit
 * waits for them (1.8 MB -> 446 KB Brotli). Compressed once here, never per request. A copy that
 * is not smaller than the file is not written (the server then sends the file as it is).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const dist = join(import.meta.dirname, '..', 'dist')
const TEXT = /\.(js|mjs|css|html|json|svg|txt|map)$/
const MIN_BYTES = 1024
const br = promisify(brotliCompress)
const gz = promisify(gzip)

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
}

const todo = files(dist).filter((f) => TEXT.test(f) && statSync(f).size >= MIN_BYTES)
let before = 0
let after = 0
// zlib's async calls run on libuv's threads: the files are compressed side by side
await Promise.all(
  todo.map(async (f) => {
    const raw = readFileSync(f)
    const [b, g] = await Promise.all([
      br(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
      gz(raw, { level: 9 }),
    ])
    before += raw.length
    after += Math.min(b.length, raw.length)
    if (b.length < raw.length) writeFileSync(`${f}.br`, b)
    if (g.length < raw.length) writeFileSync(`${f}.gz`, g)
  }),
)
console.log(`precompress: ${todo.length} files, ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB (Brotli)`)
