import { describe, expect, it } from 'vitest'
import { RefusalReasons } from '@copboard/policy'
import { policyMessages } from '../src/board/messages'
import { refusalMessageKey } from '../src/board/PolicyNotice'

describe('policy refusal messages (packages/policy SPEC §1.5)', () => {
  it('every refusal reason the server can send has a Dutch and an English message', () => {
    for (const reason of Object.keys(RefusalReasons)) {
      const key = refusalMessageKey(reason)
      expect(policyMessages.nl[key], reason).toBeTruthy()
      expect(policyMessages.en[key], reason).toBeTruthy()
    }
    expect(policyMessages.nl[refusalMessageKey('scaffold-locked')]).toBe('Dit onderdeel is vergrendeld door de procesbegeleider.')
    expect(policyMessages.en[refusalMessageKey('scaffold-locked')]).toBe('This part is locked by the facilitator.')
  })
})
