import { defineConfig } from 'vitest/config'

// Browser e2e tests (e2e/*.e2e.ts) run against the BUILT server + web (`pnpm build` first),
// one file at a time; unit tests (*.test.ts) beside the code.
export default defineConfig({
  test: {
    include: ['e2e/*.e2e.ts', 'src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
})
