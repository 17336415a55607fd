/**
 * Note text that merges (packages/board SPEC rules 7–10): tldraw's TipTap editor bound to the
 * shape's Y.XmlFragment with y-prosemirror's binding (@tiptap/y-tiptap, the fork TipTap 3 ships
 * for its Collaboration extension), carets of others over awareness, and an undo that undoes
 * one's own typing only.
 *
 * tldraw creates one TipTap editor per edit session from `options.text.tipTapConfig`; this
 * extension finds the shape being edited when the editor is created and binds its fragment.
 */
import { Extension, type Editor as TextEditor } from '@tiptap/core'
import { redo, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin } from '@tiptap/y-tiptap'
import { getTipTapDefaultExtensions, type Editor, type TLShapeId, type TLTextOptions } from 'tldraw'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

export interface NoteTextContext {
  /** The tldraw editor (null before mount). */
  editor(): Editor | null
  /** The shape's fragment, created when it has none yet; null when it cannot be bound. */
  fragment(id: TLShapeId): Y.XmlFragment | null
  awareness: Awareness
}

/** Shapes whose text is open in one of this tab's collaborative editors. */
const liveShapes = new Map<TextEditor, TLShapeId>()

export function isTextLive(id: string): boolean {
  for (const s of liveShapes.values()) if (s === id) return true
  return false
}

/** Another participant's caret: a thin bar in their colour with their name above it. */
function caret(user: { name?: string; color?: string }): HTMLElement {
  const el = document.createElement('span')
  el.className = 'cb-caret'
  el.style.setProperty('--c', user.color ?? '#4465e9')
  const label = document.createElement('span')
  label.className = 'cb-caret__name'
  label.textContent = user.name ?? ''
  el.append('\u2060', label, '\u2060')
  return el
}

function collaboration(ctx: NoteTextContext) {
  return Extension.create({
    name: 'copboardNoteText',
    // before StarterKit's keymaps: Mod-z must reach the Yjs undo manager
    priority: 1000,
    addProseMirrorPlugins() {
      const tl = ctx.editor()
      const id = tl?.getEditingShapeId()
      const fragment = id ? ctx.fragment(id) : null
      if (!tl || !id || !fragment) return [] // e.g. a read-only board: plain tldraw editing
      liveShapes.set(this.editor, id)
      return [
        ySyncPlugin(fragment),
        yCursorPlugin(ctx.awareness, { cursorBuilder: caret, selectionBuilder: (u: { color?: string }) => ({ class: 'cb-caret-selection', style: `background-color: ${u.color ?? '#4465e9'}33` }) }),
        yUndoPlugin(),
      ]
    },
    addKeyboardShortcuts() {
      const live = () => liveShapes.has(this.editor)
      return {
        'Mod-z': () => live() && (undo(this.editor.state) ?? false),
        'Mod-y': () => live() && (redo(this.editor.state) ?? false),
        'Shift-Mod-z': () => live() && (redo(this.editor.state) ?? false),
      }
    },
    // runs before tldraw's own onUpdate (extension listeners are registered first): the store's
    // text follows the editor without entering tldraw's undo history, so tldraw's undo never
    // rewrites a whole text (and with it other people's words); text undo is the Yjs one above.
    // tldraw's onUpdate then writes the same value: a no-op.
    onUpdate({ editor: tt }) {
      const id = liveShapes.get(tt)
      const tl = ctx.editor()
      if (!id || !tl || tl.getEditingShapeId() !== id) return
      const shape = tl.getShape(id)
      if (!shape) return
      tl.run(() => tl.updateShape({ id, type: shape.type, props: { richText: tt.state.doc.toJSON() } } as never), { history: 'ignore' })
    },
    onDestroy() {
      liveShapes.delete(this.editor)
    },
  })
}

/** `options.text` for <Tldraw>: tldraw's default extensions without TipTap's own history. */
export function noteTextOptions(ctx: NoteTextContext): TLTextOptions {
  return {
    tipTapConfig: {
      extensions: [...getTipTapDefaultExtensions({ undoRedo: false }), collaboration(ctx)],
    },
  }
}
