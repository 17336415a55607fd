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
export { bindStoreToDoc, frameScheduler, syncScheduler, type BindOptions, type BoardBinding, type Scheduler } from './binding.js'
export * from './session/index.js'
