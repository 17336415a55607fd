/** GET /api/config, fetched once per page load (tolerates a server without it). */
export interface ClientConfig {
  tldrawLicenseKey: string | null
}

let configPromise: Promise<ClientConfig> | null = null

export function loadConfig(): Promise<ClientConfig> {
  configPromise ??= fetch('/api/config')
    .then((r) => (r.ok ? r.json() : { tldrawLicenseKey: null }))
    .catch(() => ({ tldrawLicenseKey: null }))
  return configPromise
}
