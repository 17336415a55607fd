/**
 * Starts copboard: config -> storage -> app -> listen, and shuts down gracefully on
 * SIGTERM/SIGINT: stop accepting, persist every accepted edit, close sockets with 1001,
 * close storage. A second signal exits at once.
 *
 * `pnpm start` (and infra/) runs it with two V8 settings (issue 12, bench/):
 * - --max-semi-space-size=8: with 2 MiB, loading a board took several scavenges, so the whole
 *   admission's temporaries reached the old generation and stayed there as garbage until the next
 *   full GC (+750 KiB per loaded 200-note board 2 s later).
 * - --no-allocation-site-pretenuring: V8 learnt to allocate some of every edit's short-lived
 *   objects (Yjs transactions' Maps and Sets) straight in the old generation, 3-5x the garbage
 *   for major GCs, whose pauses set the latency tail (100 rooms x 10: p99.9 9-14 -> 3 ms).
 * Freed malloc memory goes back to the system when no room is loaded (memoryReducer.ts:
 * malloc_trim), not through malloc tunables.
 */
import { openStorage, type Storage } from '@copboard/storage'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'

function fail(message: string): never {
  process.stderr.write(`copboard: ${message}\n`)
  process.exit(1)
}

async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }

  let storage: Storage
  try {
    storage = await openStorage({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      pgSchema: config.databaseSchema,
      poolSize: config.databasePoolSize,
      checkpointWorkerAtOpen: true,
    })
  } catch (err) {
    fail(`cannot open storage: ${(err as Error).message}`)
  }

  const app = await buildApp(config, { storage })

  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      app.log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    shuttingDown = true
    app.log.info({ signal }, 'shutting down: persisting rooms, closing connections')
    try {
      await app.close()
      await storage.close()
      app.log.info('shutdown complete')
      process.exit(0)
    } catch (err) {
      app.log.error({ err: (err as Error).message }, 'error during shutdown')
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (err) {
    await storage.close().catch(() => {})
    fail(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`)
  }
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : config.port
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const shownHost = host.includes(':') ? `[${host}]` : host
  const where = config.databaseUrl
    ? `PostgreSQL${config.databaseSchema ? ` schema ${config.databaseSchema}` : ''}${config.redisUrl ? ', Redis' : ''}, instance ${app.cluster.instanceId}`
    : `SQLite in ${config.dataDir}`
  // one plain line on stdout for people (and the tests: they read the port from it)
  process.stdout.write(`copboard is running at http://${shownHost}:${port}/ (data: ${where})\n`)
}

void main()
