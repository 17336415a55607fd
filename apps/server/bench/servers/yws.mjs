// The reference y-websocket server (@y/websocket-server 0.1.1, in-memory, as its bin does it).
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_req, res) => res.end('okay'))
wss.on('connection', setupWSConnection)
server.on('upgrade', (req, socket, head) => {
  // same url shape as copboard: /sync/<room>
  req.url = req.url.replace(/^\/sync/, '')
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ws://127.0.0.1:${server.address().port}/sync\n`)
})
process.on('SIGTERM', () => process.exit(0))
