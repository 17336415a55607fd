export * from './layout.js'
export {
  readRecords,
  readRecord,
  writeRecords,
  deleteRecords,
  recordToY,
  yToRecord,
  upsertRecord,
  diffFields,
  jsonEqual,
  type WriteRecordsOptions,
  type FieldChanges,
} from './records.js'
export * from './schema.js'
export { bindStoreToDoc, type BindOptions, type BoardBinding } from './binding.js'
export { frameScheduler, pacedScheduler, syncScheduler, type PacedSchedulerOptions, type Scheduler } from './scheduler.js'
export type { LaterOptions, RecordFields } from './firstLoad.js'
export * from './session/index.js'
export {
  fragmentToRichText,
  richTextToFragment,
  writeRichTextToFragment,
  getTextFragment,
  normalizeRichText,
  sameRichText,
  richTextToPlain,
  isRichText,
  type RichTextNode,
} from './text.js'
export { hasRichText } from './records.js'
export * from './drafts.js'
