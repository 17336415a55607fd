// @hocuspocus/server 3.4.4 (the newest release that runs on Node 20; 4.x needs Node >= 22),
// in memory, no extensions, as its README starts it. Same URL shape as copboard: the document
// name travels in every message, the path is ignored.
import { Server } from '@hocuspocus/server'

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false })
await server.listen(0)
process.stdout.write(`listening ws://127.0.0.1:${server.address.port}/sync\n`)
process.on('SIGTERM', () => process.exit(0))
