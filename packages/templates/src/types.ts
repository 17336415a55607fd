/**
 * Public types of @copboard/templates. See ../SPEC.md for the numbered rules.
 */
export type Lang = 'nl' | 'en'
export type Localized = { nl: string; en: string }
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** What a zone is drawn as. 'lane' and 'table' group sub-zones; 'cell' is a sub-zone. */
export type ZoneKind = 'zone' | 'strip' | 'loop' | 'crossing' | 'lane' | 'cell' | 'act' | 'half' | 'table' | 'statement' | 'signatures'

export interface ZoneDefinition {
  /** Stable id: never rename, notes are read back by it (SPEC rule 3). */
  id: string
  label: Localized
  prompt: Localized
  /** Rectangle in template layout coordinates (0,0 = top-left of the layout). */
  rect: Rect
  /** Notes in this zone are posted anonymously; their author is hidden in board and report. */
  anonymous?: boolean
  /** Declared nesting: this zone lies inside its parent zone (SPEC rule 2). */
  parentZoneId?: string
  kind?: ZoneKind
  /** Colour of the zone (a tldraw default colour name). */
  color?: string
  /** Zone holds signatures (accord): one note per participant, see SPEC rule 9. */
  signatures?: boolean
  /** Width of the heading/prompt area when it must not span the whole zone (lanes). */
  headerW?: number
  /** Zone holds the statement text written by the facilitator (accord). */
  statement?: boolean
}

export interface AgendaStep {
  id: string
  title: Localized
  minutes: number
  /** Zones the camera frames for this step. */
  zoneIds: string[]
}

/** A pre-filled prompt note (NOT locked; participants may move or edit it). */
export interface PrefilledNote {
  id: string
  zoneId: string
  text: Localized
  /** Position in layout coordinates (top-left of the note). */
  x: number
  y: number
  scale?: number
  color?: string
}

/** Extra scaffold drawing that is not a zone: free text, lines, arrows, the lemniscate. */
export type Decoration =
  | { kind: 'text'; id: string; text: Localized; x: number; y: number; w: number; size?: 's' | 'm' | 'l' | 'xl'; scale?: number; align?: 'start' | 'middle' | 'end' } // scaffold text is always black (records.ts)
  | { kind: 'lemniscate'; id: string; rect: Rect; color?: string }
  | { kind: 'arrow'; id: string; from: { x: number; y: number }; to: { x: number; y: number }; bend?: number; label?: Localized; color?: string }

export interface TemplateLayout {
  /** Size of the whole layout; 16:9, width 1920..3840 (SPEC rule 4). */
  width: number
  height: number
}

export interface TemplateDefinition {
  id: string
  version: number
  title: Localized
  description: Localized
  /** Layout size; all zones and blocks fit inside it. */
  layout: TemplateLayout
  /** Where the title block (CoP name, session, date) goes. */
  titleBlock: Rect
  /** Where the agenda box goes. */
  agendaBlock: Rect
  /** In report order (template order). */
  zones: ZoneDefinition[]
  agenda: AgendaStep[]
  prefilled?: PrefilledNote[]
  decorations?: Decoration[]
  /** Learning-questions matching: arrows from a note in `from` zone to a note in `to` zone. */
  matching?: { fromZoneId: string; toZoneId: string }
}

export interface TitleBlockInfo {
  copName: string
  sessionNumber: number | string
  /** ISO date (YYYY-MM-DD) or free text. */
  date: string
}

export interface TemplateToRecordsOptions {
  pageId: string
  lang?: Lang
  origin?: { x: number; y: number }
  titleBlock?: TitleBlockInfo
}

/** meta.copboard on every record made by templateToRecords. */
export interface CopboardScaffoldMeta {
  templateId: string
  version: number
  zoneId: string | null
  scaffold: boolean
  /** 'zone' = the rectangle that defines a zone's area; others are decoration. */
  part: 'zone' | 'heading' | 'prompt' | 'title' | 'agenda' | 'decoration' | 'prefilled' | 'statement'
}

/** The perspectives a participant writes from (note meta and awareness `user.perspective`). */
export const PERSPECTIVES = ['gemeente', 'initiatief', 'overig'] as const
export type Perspective = (typeof PERSPECTIVES)[number]

export interface ReportNote {
  id: string
  text: string
  /** null when hidden (anonymous zone or anonymous note) or unknown. */
  author: string | null
  perspective: Perspective | null
  prefilled?: boolean
}

export interface ReportZone {
  zoneId: string
  label: string
  anonymous: boolean
  notes: ReportNote[]
  /** Declared parent zone (comedy act of a Gemeente/Initiatieven half), null at top level (R13). */
  parentZoneId: string | null
  /** Labels from the top-level zone down to this one, e.g. ['Akte 1 — Vooroordelen', 'Gemeente'] (R13). */
  path: string[]
  /** Zones the report shows in another form: the accord's statement text and its signatures (R11). */
  role?: 'statement' | 'signatures'
}

export interface ReportMatch {
  question: { id: string; text: string; author: string | null }
  offer: { id: string; text: string; author: string | null }
}

export interface ReportEndorsement {
  name: string
  perspective: Perspective | null
  /** Hash of the statement text the participant signed (statementHash()). */
  statementHash: string | null
  /** True when the signed hash equals the statement's current hash. */
  current: boolean
}

export interface ReportSection {
  pageId: string
  templateId: string
  version: number
  title: string
  zones: ReportZone[]
  matches: ReportMatch[]
  /** Accord only. */
  statement?: { text: string; hash: string; endorsements: ReportEndorsement[] }
}

/** Who took part, as the report header shows it (R14). */
export interface ReportPerson {
  name: string
  perspective: Perspective | null
  role?: 'facilitator' | 'participant' | 'viewer'
}

/** The report's header (R14): filled in by the archive from the CoP, the session and the people seen. */
export interface ReportHeader {
  cop: string
  coHost?: string
  sessionNumber: number
  sessionTitle: string
  /** YYYY-MM-DD */
  date: string
  startedAt: string | null
  endedAt: string | null
  durationMs: number | null
  people: ReportPerson[]
}

/** A dot vote from the session state (`session.votes`), tallied (R15). */
export interface ReportVote {
  id: string
  title: string
  voters: number
  /** Options with at least one dot, most dots first. */
  results: { shapeId: string; text: string; dots: number }[]
}

/** The accord from the session state (`session.akkoord`): latest statement and endorsements (R15). */
export interface ReportAccord {
  statement: string
  version: number
  endorsements: { name: string; version: number | null; current: boolean }[]
}

export interface Report {
  lang: Lang
  header?: ReportHeader
  votes?: ReportVote[]
  accord?: ReportAccord
  sections: ReportSection[]
  /** Notes that lie in no zone (also on pages and boards without a template). */
  unzoned: ReportNote[]
}
