export * from './types'
export { templates, getTemplate } from './registry'
export { templateToRecords, statementHash, formatDate, indexKey } from './records'
export { richTextToPlain, plainToRichText, shapeText } from './richtext'
export {
  zoneOfPoint,
  assignNotesToZones,
  zoneAssignment,
  boardZones,
  pageTransform,
  pageBounds,
  pageOf,
  toPage,
  toMap,
  shapeSize,
  linePoints,
  extent,
  noteCenter,
  rectContains,
  scaffoldMeta,
  isShape,
  isNote,
  isZoneShape,
  zoneMeta,
  zoneTreeIds,
} from './zones'
export type { NoteAssignment, BoardZone, ZoneAssignment, RecordMap } from './zones'
export { buildReport } from './report'
export {
  reportToMarkdown,
  reportToCsv,
  reportOutline,
  reportLabels,
  groupPeople,
  formatDuration,
  formatReportDate,
  csvField,
  escapeMarkdown,
  escapeMarkdownLine,
  CSV_HEADER,
} from './report-output'
export type { OutlineZone, SectionOutline, ReportLabels } from './report-output'
export type { BuildReportOptions } from './report'
export { templateBounds, zoneBounds, agendaStepBounds } from './geometry'
export { noteInVoteScope, notesInVoteScope, type VoteScopeLike } from './voteScope'
export { planReveal, anonymizeNote, isAnonymousAt, isAnonymousZone, ANONYMOUS_NOTE_COLOR } from './reveal'
export type { RevealPlan } from './reveal'
export { anonymousPresence, presenceInAnonymousZone } from './presence'
