/** "Something changed": listeners for React's useSyncExternalStore (connection, private drafts). */
export class ChangeListeners {
  private readonly listeners = new Set<() => void>()
  /** Adds a listener; returns its removal. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }
  emit(): void {
    for (const l of this.listeners) l()
  }
}
