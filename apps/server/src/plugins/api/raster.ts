/**
 * PNG without a browser: @resvg/resvg-wasm (its wasm ships inside the npm package, no download at
 * install or run time). Text is drawn with fonts found under /usr/share/fonts when present
 * (DejaVu / Liberation on Debian); without them shapes still render, text does not.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

type ResvgModule = typeof import('@resvg/resvg-wasm')
let ready: Promise<ResvgModule> | null = null
let fonts: Uint8Array[] = []

function findFonts(): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const dir of ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/truetype/liberation', '/usr/share/fonts/TTF']) {
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir)) {
      if (/^(DejaVuSans|DejaVuSans-Bold|LiberationSans-Regular|LiberationSans-Bold)\.ttf$/.test(f)) out.push(readFileSync(join(dir, f)))
    }
  }
  return out
}

async function load(): Promise<ResvgModule> {
  const mod = await import('@resvg/resvg-wasm')
  const require = createRequire(import.meta.url)
  await mod.initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')))
  fonts = findFonts()
  return mod
}

/** Archive rule A3: the rasteriser gets at most this much SVG (its time grows with the input). */
export const MAX_RASTER_SVG_CHARS = 16 * 1024 * 1024

export async function svgToPng(svg: string, width: number): Promise<Uint8Array> {
  if (svg.length > MAX_RASTER_SVG_CHARS) throw new Error(`svg of ${svg.length} characters is over the raster limit`)
  ready ??= load()
  const mod = await ready
  const r = new mod.Resvg(svg, {
    fitTo: { mode: 'width', value: Math.max(16, Math.round(width)) },
    font: { loadSystemFonts: false, fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: '#ffffff',
  })
  const img = r.render()
  const png = img.asPng()
  img.free()
  r.free()
  return png
}

export { isPng } from '@copboard/archive'

export function pngSize(b: Uint8Array): { width: number; height: number } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  return { width: dv.getUint32(16), height: dv.getUint32(20) }
}

/** Downscales a PNG (e.g. the browser's export) by drawing it into an SVG <image>. */
export async function pngThumbnail(png: Uint8Array, width: number): Promise<Uint8Array> {
  const { width: w, height: h } = pngSize(png)
  const b64 = Buffer.from(png).toString('base64')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><image width="${w}" height="${h}" href="data:image/png;base64,${b64}"/></svg>`
  return svgToPng(svg, Math.min(width, w))
}
