/** The demo CoP "Warmtetransitie (voorbeeld)" on an empty data folder (issue 11, archive A9). */
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '@copboard/board'
import { api, startApi, tokenOf, type ApiHarness } from './api-harness'

const harnesses: ApiHarness[] = []
afterAll(async () => {
  for (const h of harnesses) await h.close()
})
const start = async (demo: boolean) => {
  const h = await startApi({ demo })
  harnesses.push(h)
  return h
}

describe('demo CoP (issue 11)', () => {
  it('A9: offered on an empty data folder: three archived sessions with reports, a planned fourth with carried notes', async () => {
    const h = await start(true)
    expect((await api(h, 'GET', '/config')).data.demo).toBe(true)
    const r = await api(h, 'POST', '/demo')
    expect(r.status).toBe(201)
    const token = tokenOf(r.data.link)
    expect(r.data.link).toMatch(new RegExp(`/cop/${r.data.copId}#t=`))
    const cop = (await api(h, 'GET', `/cops/${r.data.copId}`, token)).data
    expect(cop.cop.name).toBe('CoP Warmtetransitie (voorbeeld)')
    expect(cop.role).toBe('facilitator')
    expect(cop.sessions.map((s: any) => [s.number, s.state])).toEqual([[1, 'ended'], [2, 'ended'], [3, 'ended'], [4, 'planned']])
    expect(cop.snapshots.filter((s: any) => s.kind === 'final')).toHaveLength(3)
    const [s1, s2, s3] = cop.snapshots
    expect(s2.meta.durationMs).toBe(90 * 60_000)
    const md = (await api(h, 'GET', `/cops/${r.data.copId}/snapshots/${s2.id}/report.md`, token)).data as string
    expect(md).toContain('# Sessieverslag — CoP Warmtetransitie (voorbeeld)')
    expect(md).toContain('### Akte 1 — Vooroordelen (anoniem)\n\n#### Gemeente')
    expect(md).toMatch(/- Gemeente \(\d\): /)
    expect(md).toContain('Procesbegeleiding: Fenna (procesbegeleider)')
    // different thumbnails for different sessions
    const t1 = (await api(h, 'GET', `/cops/${r.data.copId}/snapshots/${s1.id}/thumbnail.png`, token)).data as Uint8Array
    const t3 = (await api(h, 'GET', `/cops/${r.data.copId}/snapshots/${s3.id}/thumbnail.png`, token)).data as Uint8Array
    expect(Buffer.from(t1).equals(Buffer.from(t3))).toBe(false)
    const lq = (await api(h, 'GET', `/cops/${r.data.copId}/snapshots/${s1.id}/report.md`, token)).data as string
    expect(lq).toContain('### Kruisbestuiving')
    const cmp = await api(h, 'GET', `/cops/${r.data.copId}/compare?a=${s2.id}&b=${s3.id}`, token)
    expect(cmp.data.totals.added).toBeGreaterThan(0)
    const planned = cop.sessions[3]
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.mergeUpdates(await h.storage.loadRoom(planned.room)))
    expect((readRecords(doc) as any[]).filter((x) => x.meta?.carriedFrom?.sessionNumber === 3).length).toBeGreaterThan(0)
    // a second visitor gets another facilitator link to the same demo CoP
    const again = await api(h, 'POST', '/demo')
    expect(again.data.copId).toBe(r.data.copId)
    expect(tokenOf(again.data.link)).not.toBe(token)
  }, 180_000)
  it('A9: DEMO_COP=off (or a data folder with boards) offers nothing', async () => {
    const h = await start(false)
    expect((await api(h, 'GET', '/config')).data.demo).toBe(false)
    const r = await api(h, 'POST', '/demo')
    expect([r.status, r.data.error]).toEqual([404, 'DEMO_OFF'])
  })
})
