/**
 * JSON schemas of the /api routes (Fastify validates them before a handler runs; a mismatch is
 * 400 VALIDATION_FAILED with Ajv's message, which is part of the API's answers).
 */
import type { SessionStart } from '@copboard/storage'
import { ApiError } from './errors'

export const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const
export const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const
export const title = { type: 'string', minLength: 1, maxLength: 200 } as const

// one object schema (not oneOf: with Fastify's removeAdditional, oneOf branches strip each other's fields);
// the kind-specific field is checked in parseStart
export const startSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: { kind: { enum: ['empty', 'template', 'snapshot'] }, templateId: { type: 'string', minLength: 1, maxLength: 64 }, snapshotId: id },
} as const

export function parseStart(b: { kind: string; templateId?: string; snapshotId?: string }): SessionStart {
  if (b.kind === 'template') {
    if (!b.templateId) throw new ApiError('VALIDATION_FAILED', 'body/start must have templateId when kind is template')
    return { kind: 'template', templateId: b.templateId }
  }
  if (b.kind === 'snapshot') {
    if (!b.snapshotId) throw new ApiError('VALIDATION_FAILED', 'body/start must have snapshotId when kind is snapshot')
    return { kind: 'snapshot', snapshotId: b.snapshotId }
  }
  return { kind: 'empty' }
}

export const copParams = { type: 'object', required: ['copId'], properties: { copId: id } } as const
export const sessionParams = { type: 'object', required: ['copId', 'sessionId'], properties: { copId: id, sessionId: id } } as const
export const snapshotParams = { type: 'object', required: ['copId', 'snapshotId'], properties: { copId: id, snapshotId: id } } as const

export const today = () => new Date().toISOString().slice(0, 10)
