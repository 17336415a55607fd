import { defineConfig } from 'vitest/config'

// Real-server tests (ports, SQLite/PostgreSQL, WebSockets) run on shared 2-core machines: a busy
// machine must slow them down, not fail them. No test asserts a duration.
// Two files at a time (vitest's default on 2 cores is one): the files mostly wait on sockets,
// timers and child processes (~85 CPU-s in ~165 s alone), and the suite is on pnpm test's
// critical path (the e2e waits for it, turbo.json).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
})
