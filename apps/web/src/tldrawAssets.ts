/**
 * tldraw's fonts, icons and translations, bundled and served by copboard itself (no CDN: the
 * board makes no request to any other host).
 *
 * The Dutch and English translations are also built into the script and handed to tldraw as
 * blob: URLs. tldraw fetches its translation on every mount and language switch without catching
 * a failure, so a board that mounts while the server is briefly unreachable would otherwise throw
 * "Failed to fetch" and stay half-translated.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import nl from '@tldraw/assets/translations/nl.json'

function jsonBlobUrl(data: unknown): string {
  return URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }))
}

const bundled = getAssetUrlsByImport()

export const tldrawAssetUrls = {
  ...bundled,
  // English messages are built into tldraw; its en.json is empty
  translations: { ...bundled.translations, en: jsonBlobUrl({}), nl: jsonBlobUrl(nl) },
}
