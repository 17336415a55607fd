// copboard's real app (SQLite, persist-before-broadcast), with the allow-all authorizer so the
// benchmark needs no tokens. Same plugins, limits and storage as production.
import { openStorage } from '@copboard/storage'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { allowAll } from '../src/plugins/sync.js'

const config = loadConfig(process.env)
const storage = await openStorage({ dataDir: config.dataDir })
const app = await buildApp(config, { storage, authorize: allowAll })
await app.listen({ host: '127.0.0.1', port: 0 })
const addr = app.server.address()
process.stdout.write(`listening ws://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/sync\n`)
process.on('SIGTERM', async () => {
  await app.close()
  await storage.close()
  process.exit(0)
})
