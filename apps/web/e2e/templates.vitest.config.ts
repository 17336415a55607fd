import { defineConfig } from 'vitest/config'
// Runs only TPL's e2e (apps/web/vitest.config.ts, BOARD's, may include these files as well).
export default defineConfig({ test: { include: ['e2e/templates*.e2e.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } })
