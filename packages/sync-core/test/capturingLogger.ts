import type { Logger } from '../src/index.js'

/** A Logger that keeps every line, for assertions on what was logged. */
export class CapturingLogger implements Logger {
  lines: { level: string; obj: Record<string, unknown>; msg: string }[] = []
  debug = (obj: object, msg: string) => void this.lines.push({ level: 'debug', obj: obj as never, msg })
  info = (obj: object, msg: string) => void this.lines.push({ level: 'info', obj: obj as never, msg })
  warn = (obj: object, msg: string) => void this.lines.push({ level: 'warn', obj: obj as never, msg })
  error = (obj: object, msg: string) => void this.lines.push({ level: 'error', obj: obj as never, msg })
  at(level: string) {
    return this.lines.filter((l) => l.level === level)
  }
}
