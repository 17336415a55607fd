// Builds the harness to a temp dir (used by e2e/archive.e2e.ts).
import { build } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
export async function buildHarness(outDir) {
  const root = fileURLToPath(new URL('.', import.meta.url))
  await build({ root, configFile: false, logLevel: 'warn', plugins: [react()], build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 10000 } })
}
