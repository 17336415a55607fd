/**
 * Serves the built web app (apps/web/dist) on the same port, with the SPA fallback: any GET for a
 * non-API path that is not a file (/b/<room>, /cop/<id>, …) gets index.html. API-ish paths get a
 * JSON 404. Without a build, pages answer with a clear message instead of a bare 404.
 */
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'

export interface StaticPluginOptions {
  /** Directory of the built web app; default apps/web/dist beside this server package. */
  root?: string
}

/** Paths that belong to the server, never to the SPA. */
const NOT_SPA = /^\/(api|sync|healthz)(\/|$|\?)/

/** apps/server, found from this module (works from src/ under tsx and from the dist bundle). */
export function serverPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === '@copboard/server') return dir
      } catch {
        // keep looking
      }
    }
    dir = dirname(dir)
  }
  return process.cwd()
}

export function defaultWebDist(): string {
  return resolve(serverPackageDir(), '../web/dist')
}

const staticPlugin: FastifyPluginAsync<StaticPluginOptions> = async (app, opts) => {
  const root = resolve(opts.root ?? defaultWebDist())
  const hasBuild = existsSync(join(root, 'index.html'))
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      // the .br/.gz copies apps/web's build writes (scripts/precompress.mjs) go to browsers that
      // accept them: the board's ~2 MB of scripts travel as ~0.5 MB (Vary: Accept-Encoding)
      preCompressed: true,
      // ours, not send's: its `public, max-age=0` replaced the header set below
      cacheControl: false,
      // hashed Vite assets can be cached for good; index.html must always be revalidated
      setHeaders(res, path) {
        // (relative to the root: a deploy path that has an assets folder above it is not an asset)
        res.setHeader('cache-control', relative(root, path).startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
        // the body depends on Accept-Encoding (preCompressed): a shared cache must keep them apart
        res.setHeader('vary', 'accept-encoding')
      },
    })
  } else {
    app.log.warn({ root }, 'web app not built: run `pnpm build` (pages will show a notice)')
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url
    if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_SPA.test(path) || /\.[a-z0-9]+$/i.test(path.split('?')[0])) {
      return reply.code(404).send({ error: 'NOT_FOUND', message: `${request.method} ${path.split('?')[0]} not found` })
    }
    if (!hasBuild) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`copboard: the web app is not built (no ${join(root, 'index.html')}). Run \`pnpm build\` and restart.\n`)
    }
    reply.header('cache-control', 'no-cache')
    return reply.sendFile('index.html')
  })
}

export default fp(staticPlugin, { name: 'copboard-static', fastify: '5.x' })
