import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// In development the server (pnpm --filter @copboard/server dev) runs on 127.0.0.1:8080;
// Vite proxies the WebSocket (/sync) and the REST API (/api) to it. In production the server
// serves apps/web/dist itself on the same port.
const server = process.env.COPBOARD_SERVER ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/sync': { target: server.replace(/^http/, 'ws'), ws: true },
      '/api': { target: server },
      '/healthz': { target: server },
    },
  },
  build: {
    chunkSizeWarningLimit: 4000,
    // tldraw fetch()es its translation files; inlined as data: URLs they would be blocked by the
    // server's CSP (connect-src 'self'), so JSON assets are always emitted as files
    assetsInlineLimit: (file: string) => (file.endsWith('.json') ? false : undefined),
  },
})
