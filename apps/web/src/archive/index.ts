export { CopPage } from './CopPage'
export { SnapshotViewer, type Highlights } from './SnapshotViewer'
export { EndSessionButton, exportBoard } from './EndSessionButton'
export { api, tokenFromHash, type Role, type Session, type Cop, type SnapshotMeta } from './api'
