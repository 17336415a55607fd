/**
 * tldraw's licence (README "tldraw licence"): tldraw treats HTTPS on a non-loopback host as
 * production and, without a valid TLDRAW_LICENSE_KEY for that domain, hides the board after 5 s.
 * The server cannot fix that, but it says so: once at start-up when it listens on (or is allowed
 * to be reached from) a non-local name, and once per host when a page is first requested through
 * a non-local name (the usual case behind a reverse proxy, where HOST is 127.0.0.1).
 */
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'

export interface LicencePluginOptions {
  licenseKey: string | undefined
  host: string
  allowedOrigins: string[]
}

/** Loopback names, as tldraw's LicenseManager counts them (plus the wildcard listen addresses). */
export function isLocalHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h)
}

export const LICENCE_WARNING =
  'no TLDRAW_LICENSE_KEY is set: tldraw shows the board for 5 s and then hides it on any HTTPS address that is not localhost ' +
  '(participants see copboard\'s explanation instead). Get a licence for this domain at https://tldraw.dev and set TLDRAW_LICENSE_KEY ' +
  '(README: "tldraw licence").'

/** The non-local names the server is configured for (empty: local only, no warning). */
export function nonLocalNames(host: string, allowedOrigins: string[]): string[] {
  const names = new Set<string>()
  if (!isLocalHostname(host) && host !== '0.0.0.0' && host !== '::') names.add(host)
  for (const o of allowedOrigins) {
    const h = new URL(o).hostname
    if (!isLocalHostname(h)) names.add(h)
  }
  return [...names]
}

const MAX_HOSTS_WARNED = 20

const licencePlugin: FastifyPluginAsync<LicencePluginOptions> = async (app, opts) => {
  if (opts.licenseKey) return
  const names = nonLocalNames(opts.host, opts.allowedOrigins)
  if (names.length) app.log.warn({ names }, LICENCE_WARNING)
  const warned = new Set<string>()
  app.addHook('onRequest', async (request) => {
    if (warned.size >= MAX_HOSTS_WARNED || request.method !== 'GET' || request.url.startsWith('/api') || request.url.startsWith('/sync')) return
    const hostname = request.hostname
    if (!hostname || warned.has(hostname) || isLocalHostname(hostname)) return
    warned.add(hostname)
    app.log.warn({ host: hostname }, LICENCE_WARNING)
  })
}

export default fp(licencePlugin, { name: 'copboard-licence', fastify: '5.x' })
