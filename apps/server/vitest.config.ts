import { defineConfig } from 'vitest/config'

// Real-server tests (ports, SQLite/PostgreSQL, WebSockets) run on shared 2-core machines: a busy
// machine must slow them down, not fail them. No test asserts a duration.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
