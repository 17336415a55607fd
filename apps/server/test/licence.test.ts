/** tldraw licence warnings (README "tldraw licence"): said at start-up and per non-local host, never with a key. */
import { describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import { Writable } from 'node:stream'
import licencePlugin, { isLocalHostname, LICENCE_WARNING, nonLocalNames } from '../src/plugins/licence.js'

async function appWith(opts: { licenseKey?: string; host: string; allowedOrigins?: string[] }) {
  const lines: { msg: string; names?: string[]; host?: string }[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l))
      cb()
    },
  })
  const app = Fastify({ logger: { level: 'warn', stream } })
  await app.register(licencePlugin, { licenseKey: opts.licenseKey, host: opts.host, allowedOrigins: opts.allowedOrigins ?? [] })
  app.get('/b/:room', async () => 'page')
  await app.ready()
  return { app, warnings: () => lines.filter((l) => l.msg === LICENCE_WARNING) }
}

describe('tldraw licence warning', () => {
  it('local names are the ones tldraw treats as development', () => {
    for (const h of ['localhost', '127.0.0.1', '127.9.9.9', '[::1]', 'bord.localhost']) expect(isLocalHostname(h)).toBe(true)
    for (const h of ['bord.gemeente.nl', '10.0.0.5', '0.0.0.0']) expect(isLocalHostname(h)).toBe(false)
    expect(nonLocalNames('0.0.0.0', ['https://bord.gemeente.nl', 'http://localhost:5173'])).toEqual(['bord.gemeente.nl'])
    expect(nonLocalNames('127.0.0.1', [])).toEqual([])
  })

  it('no key and a public name: one clear warning at start-up', async () => {
    const { app, warnings } = await appWith({ host: 'bord.gemeente.nl' })
    expect(warnings()).toHaveLength(1)
    expect(warnings()[0].names).toEqual(['bord.gemeente.nl'])
    expect(LICENCE_WARNING).toContain('TLDRAW_LICENSE_KEY')
    await app.close()
  })

  it('no key behind a proxy: the first page request through a public name warns once per host', async () => {
    const { app, warnings } = await appWith({ host: '127.0.0.1' })
    expect(warnings()).toHaveLength(0)
    for (let i = 0; i < 3; i++) await app.inject({ url: '/b/x', headers: { host: 'bord.gemeente.nl' } })
    await app.inject({ url: '/b/x', headers: { host: 'localhost:8080' } })
    expect(warnings().map((w) => w.host)).toEqual(['bord.gemeente.nl'])
    await app.close()
  })

  it('with a key: silent', async () => {
    const { app, warnings } = await appWith({ host: 'bord.gemeente.nl', licenseKey: 'tldraw-abc' })
    await app.inject({ url: '/b/x', headers: { host: 'bord.gemeente.nl' } })
    expect(warnings()).toHaveLength(0)
    await app.close()
  })
})
