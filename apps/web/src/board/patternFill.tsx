/**
 * tldraw's "pattern" fill (geo, draw and arrow shapes), with its tiles drawn when they are needed
 * (issue 12). tldraw draws every tile at mount: one per zoom level up to its largest zoom step,
 * for both colour modes, the largest 2048 px square. Without a GPU (headless chromium, many
 * laptops' software canvas) that blocked the board's first render for 1.5–2.8 s of main thread.
 *
 * These defs keep tldraw's pattern ids and its stand-in (a flat tile in the mode's colour, drawn
 * as a rect: no canvas at mount, 36 ms of a profiled cold start) and draw a real tile
 * once the browser is idle after the first render: only for the colour mode in use and the zoom
 * levels up to one above the current one, smallest first; zooming in draws the next one.
 */
import { useEffect, useReducer } from 'react'
import {
  ArrowShapeUtil,
  DefaultFontStyle,
  DrawShapeUtil,
  GeoShapeUtil,
  suffixSafeId,
  useColorMode,
  useEditor,
  useSharedSafeId,
  useValue,
  type TLShapeUtilCanvasSvgDef,
} from 'tldraw'

/** tldraw's tile size (page units) and its stand-in colours, as in its PatternFill. */
const TILE = 8
const STAND_IN = { light: '#f8f9fa', dark: '#212529' } as const

/** tldraw's level of detail for a zoom: tile drawn at 2^lod × the page scale. */
export const patternLod = (zoom: number) => Math.ceil(Math.log2(Math.max(1, zoom)))

/** Drawn tiles (blob: URLs) by `${dpr}_${lod}_${colour}`; kept for the page's lifetime. */
const tiles = new Map<string, string>()
const drawing = new Map<string, Promise<void>>()

function canvas(size: number) {
  const el = document.createElement('canvas')
  el.width = el.height = size
  return el
}

/** tldraw's hatch tile (its generateImage), drawn once per dpr/lod/colour. */
function drawTile(dpr: number, lod: number, colour: string): Promise<void> {
  const key = `${dpr}_${lod}_${colour}`
  const running = drawing.get(key)
  if (running) return running
  const zoom = 2 ** lod
  const done = new Promise<void>((resolve) => {
    const size = TILE * zoom * dpr
    const el = canvas(size)
    const ctx = el.getContext('2d')
    if (!ctx) return resolve()
    ctx.fillStyle = colour
    ctx.fillRect(0, 0, size, size)
    ctx.globalCompositeOperation = 'destination-out'
    ctx.lineCap = 'round'
    ctx.lineWidth = 1.25 * zoom * dpr
    const s = (v: number) => ((v * 8) / 12) * zoom * dpr
    ctx.beginPath()
    for (const [a, b] of [[1, 3], [5, 7], [9, 11]]) {
      ctx.moveTo(s(a), s(b))
      ctx.lineTo(s(b), s(a))
    }
    ctx.stroke()
    el.toBlob((blob) => {
      if (blob) tiles.set(key, URL.createObjectURL(blob))
      resolve()
    })
  })
  drawing.set(key, done)
  return done
}

/** Runs `fn` when the browser is idle (Safari has no requestIdleCallback: a short timeout). */
function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: 2000 })
    return () => cancelIdleCallback(id)
  }
  const id = setTimeout(fn, 200)
  return () => clearTimeout(id)
}

function PatternFillDefs() {
  const editor = useEditor()
  const baseId = useSharedSafeId('hash_pattern')
  const mode = useColorMode()
  const dpr = useValue('pattern dpr', () => editor.getInstanceState().devicePixelRatio, [editor])
  const maxLod = useValue('pattern max lod', () => {
    const steps = editor.getCameraOptions().zoomSteps
    return patternLod(steps[steps.length - 1] / steps[0])
  }, [editor])
  // shapes with a scale other than 1 use the next level too
  const wantLod = useValue('pattern lod', () => Math.min(maxLod, patternLod(editor.getEfficientZoomLevel()) + 1), [editor, maxLod])
  const [, redraw] = useReducer((n: number) => n + 1, 0)
  const colour = editor.getCurrentTheme().colors[mode].solid

  useEffect(() => {
    let cancel = () => {}
    let live = true
    const next = (lod: number) => {
      while (lod <= wantLod && tiles.has(`${dpr}_${lod}_${colour}`)) lod++
      if (lod > wantLod) return
      cancel = whenIdle(() =>
        void drawTile(dpr, lod, colour).then(() => {
          if (!live) return
          redraw()
          next(lod + 1)
        }),
      )
    }
    next(0)
    return () => {
      live = false
      cancel()
    }
  }, [dpr, wantLod, colour])

  const defs = []
  for (const m of ['light', 'dark'] as const) {
    const c = m === mode ? colour : editor.getCurrentTheme().colors[m].solid
    for (let lod = 0; lod <= maxLod; lod++) {
      const id = suffixSafeId(baseId, `${m}_${lod}`)
      const tile = tiles.get(`${dpr}_${lod}_${c}`)
      defs.push(
        <pattern key={id} id={id} width={TILE} height={TILE} patternUnits="userSpaceOnUse">
          {tile ? <image href={tile} width={TILE} height={TILE} /> : <rect width={TILE} height={TILE} fill={STAND_IN[m]} />}
        </pattern>,
      )
    }
  }
  return <g>{defs}</g>
}

/** Same key as tldraw's pattern def: the canvas renders one def per key. */
const patternFillDef: TLShapeUtilCanvasSvgDef = { key: `${DefaultFontStyle.id}:pattern`, component: PatternFillDefs }

export class BoardGeoShapeUtil extends GeoShapeUtil {
  override getCanvasSvgDefs() {
    return [patternFillDef]
  }
}
export class BoardDrawShapeUtil extends DrawShapeUtil {
  override getCanvasSvgDefs() {
    return [patternFillDef]
  }
}
export class BoardArrowShapeUtil extends ArrowShapeUtil {
  override getCanvasSvgDefs() {
    return [patternFillDef]
  }
}
