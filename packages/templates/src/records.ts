/**
 * templateToRecords: a template definition -> tldraw records (SPEC rules 5–7): zone areas,
 * headings and prompts, decorations, title and agenda blocks, statement, pre-filled notes.
 * Pure: no editor, no DOM. Shape ids are deterministic per (page, template, part, zone)
 * so that placing the same template on another page never collides (shape-builders.ts).
 */
import type { TLRecord } from '@tldraw/tlschema'
import { estimateLines, titleLine } from './format'
import { indexKey } from './index-keys'
import { plainToRichText } from './richtext'
import { L, PAD, base, geo, meta, push, shapeId, text, type Ctx } from './shape-builders'
import { STATEMENT_PLACEHOLDER } from './statement'
import type { Decoration, TemplateDefinition, TemplateToRecordsOptions, TitleBlockInfo, ZoneDefinition } from './types'

export { estimateLines, formatDate, titleLine } from './format'
export { indexKey } from './index-keys'
export { STATEMENT_PLACEHOLDER, statementHash } from './statement'

function zoneShapes(ctx: Ctx, z: ZoneDefinition, frames: Map<string, { id: string; x: number; y: number }>) {
  const parentFrame = z.parentZoneId ? frames.get(z.parentZoneId) : undefined
  const px = parentFrame ? -parentFrame.x : ctx.ox
  const py = parentFrame ? -parentFrame.y : ctx.oy
  const parentId = parentFrame?.id
  const x = z.rect.x + px
  const y = z.rect.y + py
  const { w, h } = z.rect
  const kind = z.kind ?? 'zone'
  const areaId = shapeId(ctx, 'zone', z.id)

  if (kind === 'act') {
    // a frame: the act; its halves become children (SPEC rule 6)
    push(ctx, {
      ...base(ctx, areaId, 'frame', x, y, parentId, z.id, 'zone'),
      props: { w, h, name: L(ctx, z.label), color: (z.color ?? 'black') as never },
    })
    frames.set(z.id, { id: areaId, x: z.rect.x, y: z.rect.y })
  } else if (kind === 'loop' || kind === 'crossing') {
    // the lemniscate decoration draws the loop; the zone area is a faint dotted outline
    geo(ctx, { id: areaId, x, y, w, h, color: z.color ?? 'grey', fill: 'none', dash: 'dotted', parentId, zoneId: z.id, part: 'zone' })
  } else {
    const fill = kind === 'lane' || kind === 'table' || kind === 'statement' ? 'solid' : 'semi'
    geo(ctx, { id: areaId, x, y, w, h, color: z.color ?? 'grey', fill, parentId, zoneId: z.id, part: 'zone' })
  }

  // inside an act frame, headings of the act itself are children of the frame at local coords
  const own = frames.get(z.id)
  const hx = own ? PAD : x + PAD
  const hy = own ? PAD : y + (kind === 'loop' ? h / 2 - 60 : PAD - 4)
  const hParent = own ? own.id : parentId
  const centered = kind === 'loop' || kind === 'crossing'
  const tw = (z.headerW ?? w) - 2 * PAD
  text(ctx, {
    id: shapeId(ctx, 'heading', z.id),
    x: hx,
    y: hy,
    w: tw,
    text: L(ctx, z.label),
    size: kind === 'crossing' ? 'xl' : 'l',
    align: centered ? 'middle' : 'start',
    parentId: hParent,
    zoneId: z.id,
    part: 'heading',
  })
  const headingLines = estimateLines(L(ctx, z.label), tw, 36)
  text(ctx, {
    id: shapeId(ctx, 'prompt', z.id),
    x: hx,
    y: hy + headingLines * 50 + 4,
    w: tw,
    text: L(ctx, z.prompt),
    size: 'm',
    align: centered ? 'middle' : 'start',
    parentId: hParent,
    zoneId: z.id,
    part: 'prompt',
  })
}

function lemniscatePoints(w: number, h: number, n = 32) {
  // Gerono lemniscate scaled to the rect: x = cos t, y = sin 2t / 2; starts/ends at the right tip
  const pts: { x: number; y: number }[] = []
  for (let i = 0; i <= n; i++) {
    const t = (i / n) * Math.PI * 2
    pts.push({ x: w / 2 + (w / 2) * Math.cos(t), y: h / 2 + (h / 2) * Math.sin(2 * t) })
  }
  return pts
}

function decoration(ctx: Ctx, d: Decoration) {
  if (d.kind === 'text') {
    text(ctx, { id: shapeId(ctx, 'deco', d.id), x: ctx.ox + d.x, y: ctx.oy + d.y, w: d.w, text: L(ctx, d.text), size: d.size ?? 'l', align: d.align, scale: d.scale, zoneId: null, part: 'decoration' })
  } else if (d.kind === 'lemniscate') {
    const pts = lemniscatePoints(d.rect.w, d.rect.h)
    const points: Record<string, { id: string; index: string; x: number; y: number }> = {}
    pts.forEach((p, i) => {
      const id = `p${i}`
      points[id] = { id, index: indexKey(i), x: p.x, y: p.y }
    })
    push(ctx, {
      ...base(ctx, shapeId(ctx, 'deco', d.id), 'line', ctx.ox + d.rect.x, ctx.oy + d.rect.y, undefined, null, 'decoration'),
      props: { color: d.color ?? 'violet', dash: 'solid', size: 'xl', spline: 'cubic', points, scale: 1 },
    })
  } else {
    push(ctx, {
      ...base(ctx, shapeId(ctx, 'deco', d.id), 'arrow', ctx.ox + d.from.x, ctx.oy + d.from.y, undefined, null, 'decoration'),
      props: {
        kind: 'arc',
        labelColor: 'black',
        color: d.color ?? 'violet',
        fill: 'none',
        dash: 'solid',
        size: 'l',
        arrowheadStart: 'none',
        arrowheadEnd: 'arrow',
        font: 'sans',
        start: { x: 0, y: 0 },
        end: { x: d.to.x - d.from.x, y: d.to.y - d.from.y },
        bend: d.bend ?? 0,
        richText: plainToRichText(d.label ? L(ctx, d.label) : ''),
        labelPosition: 0.5,
        scale: 1,
        elbowMidPoint: 0.5,
      },
    })
  }
}

function titleBlock(ctx: Ctx, info: TitleBlockInfo | undefined) {
  const r = ctx.t.titleBlock
  geo(ctx, { id: shapeId(ctx, 'title', 'box'), x: ctx.ox + r.x, y: ctx.oy + r.y, w: r.w, h: r.h, color: 'violet', fill: 'solid', zoneId: null, part: 'title' })
  text(ctx, { id: shapeId(ctx, 'title', 'name'), x: ctx.ox + r.x + 32, y: ctx.oy + r.y + 20, w: r.w - 64, text: L(ctx, ctx.t.title), size: 'xl', zoneId: null, part: 'title' })
  text(ctx, { id: shapeId(ctx, 'title', 'line'), x: ctx.ox + r.x + 32, y: ctx.oy + r.y + 90, w: r.w - 64, text: titleLine(info, ctx.lang), size: 'm', zoneId: null, part: 'title' })
}

function agendaBlock(ctx: Ctx) {
  const r = ctx.t.agendaBlock
  const lang = ctx.lang
  geo(ctx, { id: shapeId(ctx, 'agenda', 'box'), x: ctx.ox + r.x, y: ctx.oy + r.y, w: r.w, h: r.h, color: 'grey', fill: 'semi', zoneId: null, part: 'agenda' })
  text(ctx, { id: shapeId(ctx, 'agenda', 'heading'), x: ctx.ox + r.x + PAD, y: ctx.oy + r.y + 20, w: r.w - 2 * PAD, text: 'Agenda', size: 'xl', zoneId: null, part: 'agenda' })
  const total = ctx.t.agenda.reduce((s, a) => s + a.minutes, 0)
  const lines = ctx.t.agenda.map((a, i) => `${i + 1}. ${a.title[lang]} — ${a.minutes} min`)
  lines.push('', (lang === 'nl' ? 'Totaal' : 'Total') + ` ${total} min`)
  text(ctx, { id: shapeId(ctx, 'agenda', 'steps'), x: ctx.ox + r.x + PAD, y: ctx.oy + r.y + 100, w: r.w - 2 * PAD, text: lines.join('\n'), size: 'm', zoneId: null, part: 'agenda' })
}

function prefilled(ctx: Ctx) {
  for (const p of ctx.t.prefilled ?? []) {
    push(ctx, {
      ...base(ctx, shapeId(ctx, 'note', p.id), 'note', ctx.ox + p.x, ctx.oy + p.y, undefined, p.zoneId, 'prefilled', false),
      meta: { ...meta(ctx, p.zoneId, 'prefilled', false), author: '', prefilled: true },
      props: {
        color: p.color ?? 'light-violet',
        labelColor: 'black',
        size: 'm',
        font: 'sans',
        fontSizeAdjustment: null,
        align: 'middle',
        verticalAlign: 'middle',
        growY: 0,
        url: '',
        richText: plainToRichText(L(ctx, p.text)),
        scale: p.scale ?? 1,
        textLastEditedBy: null,
      },
    })
  }
}

function statementText(ctx: Ctx) {
  for (const z of ctx.t.zones) {
    if (!z.statement) continue
    text(ctx, {
      id: shapeId(ctx, 'statement', z.id),
      x: ctx.ox + z.rect.x + PAD,
      y: ctx.oy + z.rect.y + 150,
      w: z.rect.w - 2 * PAD,
      text: STATEMENT_PLACEHOLDER[ctx.lang],
      size: 'l',
      zoneId: z.id,
      part: 'statement',
    })
  }
}

/**
 * Turn a template into tldraw records (shapes only; the page record is the caller's).
 * Order = z-order: zone areas (parents first), headings and prompts, decorations, title block,
 * agenda, statement text, pre-filled notes (on top, unlocked).
 */
export function templateToRecords(template: TemplateDefinition, options: TemplateToRecordsOptions): TLRecord[] {
  const lang = options.lang ?? 'nl'
  const origin = options.origin ?? { x: 0, y: 0 }
  const key = options.pageId.replace(/^page:/, '')
  const ctx: Ctx = { t: template, lang, pageId: options.pageId, key, ox: origin.x, oy: origin.y, out: [], n: 0 }
  const frames = new Map<string, { id: string; x: number; y: number }>()
  // decorations behind the zones when they are backgrounds (lemniscate), in front otherwise
  for (const d of template.decorations ?? []) if (d.kind === 'lemniscate') decoration(ctx, d)
  for (const z of template.zones) zoneShapes(ctx, z, frames)
  for (const d of template.decorations ?? []) if (d.kind !== 'lemniscate') decoration(ctx, d)
  titleBlock(ctx, options.titleBlock)
  agendaBlock(ctx)
  statementText(ctx)
  prefilled(ctx)
  return ctx.out
}
