import { defineConfig } from 'vitest/config'
// Runs only ARCHIVE's e2e (apps/web/vitest.config.ts, BOARD's, may include it as well).
export default defineConfig({ test: { include: ['e2e/archive*.e2e.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } })
