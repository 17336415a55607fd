/**
 * The ONE storage contract suite, run against every backend (sqlite.test.ts, postgres.test.ts).
 * Test names carry the SPEC.md rule they check, e.g. "[1.3]".
 */
import { afterAll, beforeAll, describe } from 'vitest'
import { updateLogContract } from './contract/updateLog'
import { schemaContract } from './contract/schema'
import { sessionsContract } from './contract/sessions'
import { recordsContract } from './contract/records'
import type { ContractBackend, ContractContext } from './contract/support'

export type { ContractBackend } from './contract/support'

export function runStorageContract(name: string, makeBackend: () => Promise<ContractBackend>): void {
  describe(`storage contract: ${name}`, () => {
    const ctx = {} as ContractContext

    beforeAll(async () => {
      ctx.backend = await makeBackend()
      ctx.s = await ctx.backend.open()
    })
    afterAll(async () => {
      await ctx.s?.close()
      await ctx.backend?.destroy()
    })

    updateLogContract(ctx)
    schemaContract(ctx)
    sessionsContract(ctx)
    recordsContract(ctx)
  })
}
