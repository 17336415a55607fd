import { defineConfig } from 'vitest/config'

// the machine running CI/helpers can be loaded: no test here asserts a duration
export default defineConfig({ test: { testTimeout: 60_000 } })
