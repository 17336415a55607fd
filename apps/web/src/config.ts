/** GET /api/config, fetched once per page load (tolerates a server without it). */
export interface ClientConfig {
  tldrawLicenseKey: string | null
  /** the server offers the demo CoP (empty data folder, DEMO_COP not off) */
  demo?: boolean
}

let configPromise: Promise<ClientConfig> | null = null

export function loadConfig(): Promise<ClientConfig> {
  configPromise ??= fetch('/api/config')
    .then((r) => (r.ok ? r.json() : { tldrawLicenseKey: null }))
    .catch(() => ({ tldrawLicenseKey: null }))
  return configPromise
}
