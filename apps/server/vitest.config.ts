import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/**
 * Vitest's order (failed first, then longest last run, or largest file on a fresh clone), with the
 * cluster files (HAProxy + 2 instances each, the longest files) first: they start together, beside
 * each other. On a fresh clone the size order ran cluster.test.ts beside the API files and it failed
 * 4 of 7 (sync through the proxy timed out) at load 9; cluster-people.test.ts was 14th of 26.
 */
class ClusterFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const cluster = (f: TestSpecification) => /[/\\]test[/\\]cluster[/\\]/.test(f.moduleId)
    return [...sorted.filter(cluster), ...sorted.filter((f) => !cluster(f))]
  }
}

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
    sequence: { sequencer: ClusterFirst },
  },
})
