/**
 * Size limits of one record (SPEC.md §3.2). Checked iteratively (never recursively over user
 * data) and before anything else reads the record, so a poison record (150,000 line points,
 * rich text nested 100,000 deep) is refused cheaply instead of crashing a renderer later.
 */
import * as Y from 'yjs'

export interface RecordLimits {
  /** Points of one draw/highlight shape (all segments) or one line shape. tldraw's draw tool starts a new shape at 600. */
  maxPoints: number
  /** Characters of text in one rich-text value (props.richText or the collaborative text). */
  maxRichTextChars: number
  /** Nesting depth of a rich-text tree (doc > paragraph > text = 3). */
  maxRichTextDepth: number
  /** Nodes of a rich-text tree. */
  maxRichTextNodes: number
  /** JSON size of a record's props (assets: see maxAssetPropsBytes). */
  maxPropsBytes: number
  /** JSON size of an asset's props (an inline image is a data URL). */
  maxAssetPropsBytes: number
  /** JSON size of a record's meta. */
  maxMetaBytes: number
  /** JSON size of a participant-owned session entry (SPEC.md §5.2). */
  maxSessionEntryBytes: number
}

export const defaultRecordLimits: RecordLimits = {
  maxPoints: 5000,
  maxRichTextChars: 50_000,
  maxRichTextDepth: 24,
  maxRichTextNodes: 10_000,
  maxPropsBytes: 256 * 1024,
  maxAssetPropsBytes: 6 * 1024 * 1024,
  maxMetaBytes: 16 * 1024,
  maxSessionEntryBytes: 8 * 1024,
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

/** Bytes of a base64 string without decoding it. */
function base64Bytes(s: string): number {
  let pad = 0
  if (s.endsWith('==')) pad = 2
  else if (s.endsWith('=')) pad = 1
  return Math.floor((s.length * 3) / 4) - pad
}

/** Points of a draw/highlight shape: its segments are base64 paths (tlschema b64Vecs: 2D 8+4n, 3D 12+6n bytes). */
export function drawPoints(props: Obj): number {
  const segments = props.segments
  if (!Array.isArray(segments)) return 0
  let n = 0
  for (const seg of segments) {
    if (!isObj(seg)) continue
    if (typeof seg.path === 'string' && seg.path.length > 0) {
      const bytes = base64Bytes(seg.path)
      n += seg.dim === '2d' ? Math.floor((bytes - 8) / 4) + 1 : Math.floor((bytes - 12) / 6) + 1
    } else if (Array.isArray(seg.points)) n += seg.points.length
  }
  return n
}

/** Points of a line shape (a dictionary of points). */
export function linePointCount(props: Obj): number {
  return isObj(props.points) ? Object.keys(props.points).length : 0
}

export interface TreeSize {
  chars: number
  depth: number
  nodes: number
}

/** Size of a TipTap JSON tree, iteratively; stops counting once a limit is passed. */
export function richTextSize(root: unknown, limits: RecordLimits): TreeSize {
  const size: TreeSize = { chars: 0, depth: 0, nodes: 0 }
  const stack: [unknown, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    size.nodes++
    if (depth > size.depth) size.depth = depth
    if (size.nodes > limits.maxRichTextNodes || size.depth > limits.maxRichTextDepth || size.chars > limits.maxRichTextChars) break
    if (typeof node === 'string') {
      size.chars += node.length
      continue
    }
    if (!isObj(node)) continue
    if (typeof node.text === 'string') size.chars += node.text.length
    const content = node.content
    if (Array.isArray(content)) for (let i = content.length - 1; i >= 0; i--) stack.push([content[i], depth + 1])
  }
  return size
}

/** Size of a collaborative text (Y.XmlFragment under the record's `richTextDoc`), iteratively. */
export function xmlTextSize(root: Y.XmlFragment, limits: RecordLimits): TreeSize {
  const size: TreeSize = { chars: 0, depth: 0, nodes: 0 }
  const stack: [Y.XmlFragment | Y.XmlElement | Y.XmlText | Y.XmlHook, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    size.nodes++
    if (depth > size.depth) size.depth = depth
    if (size.nodes > limits.maxRichTextNodes || size.depth > limits.maxRichTextDepth || size.chars > limits.maxRichTextChars) break
    if (node instanceof Y.XmlText) size.chars += node.length
    else if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      for (const child of node.toArray()) stack.push([child as Y.XmlElement, depth + 1])
    }
  }
  return size
}

function treeProblem(what: string, s: TreeSize, limits: RecordLimits): string | null {
  if (s.depth > limits.maxRichTextDepth) return `${what} nested deeper than ${limits.maxRichTextDepth}`
  if (s.nodes > limits.maxRichTextNodes) return `${what} has more than ${limits.maxRichTextNodes} nodes`
  if (s.chars > limits.maxRichTextChars) return `${what} longer than ${limits.maxRichTextChars} characters`
  return null
}

/** JSON length of a value known to be shallow enough to stringify (checked by the tree walk first). */
function jsonBytes(v: unknown): number {
  return v === undefined ? 0 : JSON.stringify(v).length
}

/** Depth of any JSON value, iteratively (props other than rich text, meta). */
function jsonDepthExceeds(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]]
  let visited = 0
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (d > max) return true
    if (++visited > 200_000) return true
    if (v && typeof v === 'object') for (const c of Object.values(v as Obj)) if (c && typeof c === 'object') stack.push([c, d + 1])
  }
  return false
}

/** The first size problem of a record (after-view), or null. */
export function recordSizeProblem(record: Obj, collab: Y.XmlFragment | null, limits: RecordLimits): string | null {
  const props = record.props
  if (isObj(props)) {
    if (record.typeName === 'shape') {
      const type = record.type
      const points = type === 'draw' || type === 'highlight' ? drawPoints(props) : type === 'line' ? linePointCount(props) : 0
      if (points > limits.maxPoints) return `${String(type)} shape with ${points} points (max ${limits.maxPoints})`
    }
    if (props.richText !== undefined) {
      const p = treeProblem('props.richText', richTextSize(props.richText, limits), limits)
      if (p) return p
    }
    if (jsonDepthExceeds(props, limits.maxRichTextDepth + 8)) return 'props nested too deeply'
    const max = record.typeName === 'asset' ? limits.maxAssetPropsBytes : limits.maxPropsBytes
    const bytes = jsonBytes(props)
    if (bytes > max) return `props of ${bytes} bytes (max ${max})`
  }
  if (record.meta !== undefined) {
    if (jsonDepthExceeds(record.meta, 16)) return 'meta nested too deeply'
    const bytes = jsonBytes(record.meta)
    if (bytes > limits.maxMetaBytes) return `meta of ${bytes} bytes (max ${limits.maxMetaBytes})`
  }
  if (collab) {
    const p = treeProblem('collaborative text', xmlTextSize(collab, limits), limits)
    if (p) return p
  }
  return null
}
