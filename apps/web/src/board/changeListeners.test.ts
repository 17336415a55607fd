import { describe, expect, it } from 'vitest'
import { ChangeListeners } from './changeListeners'

describe('ChangeListeners', () => {
  it('calls every subscribed listener on emit, and no longer after its removal', () => {
    const l = new ChangeListeners()
    const calls: string[] = []
    const offA = l.subscribe(() => calls.push('a'))
    l.subscribe(() => calls.push('b'))
    l.emit()
    offA()
    l.emit()
    expect(calls).toEqual(['a', 'b', 'b'])
  })
})
