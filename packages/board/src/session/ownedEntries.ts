/**
 * The feature checks S6.4/S6.5 in the form the board policy's session rules take (a participant's
 * own entry, judged on the document AFTER the update): wire them as the `check` of the
 * `votes.*.dots.$participant` and `akkoord.endorsements.$participant` rules. Without a before-view,
 * "once" means: an endorsement names the current version and is never removed.
 */
import { isEndorsement } from './akkoord.js'
import { checkDots } from './votes.js'
import type { SessionState, VoteState } from './types.js'
import type { SessionRefusal } from './rules.js'

/** S6.4 on the after-view: the vote exists and is open, ≤ dotsPerPerson, every dot on a note in scope. */
export function checkOwnDots(after: SessionState, voteId: string, entry: unknown, noteInScope: (vote: VoteState, shapeId: string) => boolean): SessionRefusal | null {
  const vote = after.votes[voteId]
  if (!vote) return { rule: 'S6.4', reason: 'no such vote' }
  if (entry === undefined) return vote.state === 'open' ? null : { rule: 'S6.4', reason: 'vote-closed' }
  if (!Array.isArray(entry) || !entry.every((x) => typeof x === 'string')) return { rule: 'S6.4', reason: 'malformed dots' }
  const err = checkDots(vote, entry, (id) => noteInScope(vote, id))
  return err ? { rule: 'S6.4', reason: err } : null
}

/** S6.5 on the after-view: a well-formed endorsement of the current version; never withdrawn. */
export function checkOwnEndorsement(after: SessionState, entry: unknown): SessionRefusal | null {
  if (entry === undefined) return { rule: 'S6.5', reason: 'an endorsement cannot be withdrawn' }
  if (!isEndorsement(entry)) return { rule: 'S6.5', reason: 'malformed endorsement' }
  const current = after.akkoord?.versions.length ?? 0
  if (!current) return { rule: 'S6.5', reason: 'no-statement' }
  if (entry.version !== current) return { rule: 'S6.5', reason: 'not-current' }
  return null
}
