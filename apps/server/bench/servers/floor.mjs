// The floor: a bare `ws` relay that forwards every binary frame to the other sockets of the
// room (the URL path), without any Yjs work. Whatever a sync server costs above this is its own.
import http from 'node:http'
import { WebSocketServer } from 'ws'

const rooms = new Map()
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
const server = http.createServer((_req, res) => res.end('okay'))
server.on('upgrade', (req, socket, head) => {
  const room = req.url.split('?')[0]
  wss.handleUpgrade(req, socket, head, (ws) => {
    let peers = rooms.get(room)
    if (!peers) rooms.set(room, (peers = new Set()))
    peers.add(ws)
    ws.on('message', (data, isBinary) => {
      for (const p of peers) if (p !== ws) p.send(data, { binary: isBinary })
    })
    ws.on('close', () => {
      peers.delete(ws)
      if (peers.size === 0) rooms.delete(room)
    })
  })
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ws://127.0.0.1:${server.address().port}/sync\n`)
})
process.on('SIGTERM', () => process.exit(0))
