import { defineConfig } from 'vitest/config'

// Browser e2e tests (e2e/*.e2e.ts) run against the BUILT server + web (`pnpm build` first); unit
// tests (*.test.ts) beside the code. Two files at a time: one e2e file keeps about 2/3 of a core
// busy (pages wait on sockets and the server), so on 2 cores a second file fills the idle time.
// Each file has its own server, chromium and boards; no test asserts a duration beyond the spec's
// sync budgets. turbo.json keeps the e2e after the server and storage suites.
export default defineConfig({
  test: {
    include: ['e2e/*.e2e.ts', 'src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
})
