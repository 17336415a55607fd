import { describe, expect, it } from 'vitest'
import { roomFromPath, tokenFromFragment } from '../src/board/role'

import { matchRoute } from '../src/routes'

describe('role.ts tokenFromFragment', () => {
  it('reads #t=<token>', () => {
    expect(tokenFromFragment('#t=abc_-123')).toBe('abc_-123')
    expect(tokenFromFragment('#x=1&t=tok')).toBe('tok')
    expect(tokenFromFragment('')).toBeNull()
    expect(tokenFromFragment('#token=nope')).toBeNull()
    expect(tokenFromFragment('#t=%zz')).toBeNull()
  })
  it('reads the room from /b/:room', () => {
    expect(roomFromPath('/b/r1')).toBe('r1')
    expect(roomFromPath('/cop/x')).toBe('')
  })
})

describe('routes', () => {
  it('matches the board, CoP and home pages', () => {
    expect(matchRoute('/b/room123')?.params).toEqual({ room: 'room123' })
    expect(matchRoute('/b/room123/')?.params).toEqual({ room: 'room123' })
    expect(matchRoute('/cop/c1')?.params).toEqual({ copId: 'c1' })
    expect(matchRoute('/')?.route.pattern).toBe('/')
    expect(matchRoute('/b')).toBeNull()
    expect(matchRoute('/nope/x/y')).toBeNull()
  })
})
