/** Vote scope on the live board: which notes a vote covers (same rule as the server, templates R13). */
import type { Editor } from 'tldraw'
import { noteInVoteScope, notesInVoteScope, toMap } from '@copboard/templates'
import type { VoteScope } from '@copboard/board'

export function scopeNotes(editor: Editor, scope: VoteScope) {
  return notesInVoteScope(toMap(editor.store.allRecords()), scope)
}

export function inScope(editor: Editor, scope: VoteScope) {
  const map = toMap(editor.store.allRecords())
  return (shapeId: string) => noteInVoteScope(map, scope, shapeId)
}
