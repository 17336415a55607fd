/**
 * templateToRecords: a template definition -> tldraw records (SPEC rules 5–7).
 * Pure: no editor, no DOM. Shape ids are deterministic per (page, template, part, zone)
 * so that placing the same template on another page never collides.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { plainToRichText } from './richtext'
import type {
  CopboardScaffoldMeta,
  Decoration,
  Lang,
  Localized,
  TemplateDefinition,
  TemplateToRecordsOptions,
  TitleBlockInfo,
  ZoneDefinition,
} from './types'

/** FNV-1a 32-bit hash of the (trimmed) statement text, hex. Used to record which version was endorsed. */
export function statementHash(text: string): string {
  let h = 0x811c9dc5
  const s = text.trim()
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

// ---------------------------------------------------------------- index keys

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Valid, increasing fractional-index keys: a1..az, then b + two digits (3844 more). */
export function indexKey(i: number): string {
  const n = i + 1
  if (n < 62) return 'a' + DIGITS[n]
  const m = n - 62
  if (m >= 62 * 62) throw new Error('too many shapes for one template')
  return 'b' + DIGITS[Math.floor(m / 62)] + DIGITS[m % 62]
}

// ---------------------------------------------------------------- formatting

const MONTHS: Record<Lang, string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
}

export function formatDate(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return date
  const month = MONTHS[lang][Number(m[2]) - 1]
  if (!month) return date
  return `${Number(m[3])} ${month} ${m[1]}`
}

export function titleLine(info: TitleBlockInfo | undefined, lang: Lang): string {
  const session = lang === 'nl' ? 'Sessie' : 'Session'
  if (!info) return lang === 'nl' ? 'CoP-naam · Sessie – · datum' : 'CoP name · Session – · date'
  return `${info.copName} · ${session} ${info.sessionNumber} · ${formatDate(info.date, lang)}`
}

// ---------------------------------------------------------------- builders

type Size = 's' | 'm' | 'l' | 'xl'

interface Ctx {
  t: TemplateDefinition
  lang: Lang
  pageId: string
  key: string
  ox: number
  oy: number
  out: TLShape[]
  n: number
}

function meta(ctx: Ctx, zoneId: string | null, part: CopboardScaffoldMeta['part'], scaffold = true) {
  const m: CopboardScaffoldMeta = { templateId: ctx.t.id, version: ctx.t.version, zoneId, scaffold, part }
  return { copboard: { ...m } }
}

function shapeId(ctx: Ctx, part: string, id: string) {
  return `shape:${ctx.key}.${ctx.t.id}.${part}.${id}` as TLShape['id']
}

function base(ctx: Ctx, id: string, type: string, x: number, y: number, parentId: string | undefined, zoneId: string | null, part: CopboardScaffoldMeta['part'], locked = true) {
  return {
    id,
    typeName: 'shape' as const,
    type,
    x,
    y,
    rotation: 0,
    index: indexKey(ctx.n++),
    parentId: parentId ?? ctx.pageId,
    isLocked: locked,
    opacity: 1,
    meta: meta(ctx, zoneId, part, locked),
  }
}

function push(ctx: Ctx, s: unknown) {
  ctx.out.push(s as TLShape)
}

function L(ctx: Ctx, l: Localized) {
  return l[ctx.lang]
}

function geo(ctx: Ctx, o: { id: string; x: number; y: number; w: number; h: number; color?: string; fill?: string; dash?: string; geo?: string; parentId?: string; zoneId: string | null; part: CopboardScaffoldMeta['part']; text?: string; size?: Size }) {
  push(ctx, {
    ...base(ctx, o.id, 'geo', o.x, o.y, o.parentId, o.zoneId, o.part),
    props: {
      geo: o.geo ?? 'rectangle',
      dash: o.dash ?? 'solid',
      url: '',
      w: o.w,
      h: o.h,
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color: o.color ?? 'grey',
      fill: o.fill ?? 'semi',
      size: o.size ?? 's',
      font: 'sans',
      align: 'middle',
      verticalAlign: 'middle',
      richText: plainToRichText(o.text ?? ''),
    },
  })
}

/**
 * Scaffold text is always black (#1d1d1d): coloured text on the zone tints measures 2.4–4:1
 * (grey prompts were 2.4:1); black on every tint and on the page is above 11:1 (issue 10, rule 4).
 */
function text(ctx: Ctx, o: { id: string; x: number; y: number; w: number; text: string; size?: Size; align?: 'start' | 'middle' | 'end'; scale?: number; parentId?: string; zoneId: string | null; part: CopboardScaffoldMeta['part'] }) {
  push(ctx, {
    ...base(ctx, o.id, 'text', o.x, o.y, o.parentId, o.zoneId, o.part),
    props: {
      color: 'black',
      size: o.size ?? 'm',
      font: 'sans',
      textAlign: o.align ?? 'start',
      w: Math.max(1, o.w),
      richText: plainToRichText(o.text),
      scale: o.scale ?? 1,
      autoSize: false,
    },
  })
}

/** Inner padding of a zone's heading and prompt. */
const PAD = 24

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

/** Rough line count for a text at a font size in a width (sans, average glyph ≈ 0.55em). */
export function estimateLines(s: string, w: number, fontSize: number): number {
  const perLine = Math.max(1, Math.floor(w / (fontSize * 0.5)))
  let lines = 0
  for (const para of s.split('\n')) {
    let line = 0
    let count = 1
    for (const word of para.split(' ')) {
      const len = word.length + (line ? 1 : 0)
      if (line + len > perLine && line > 0) {
        count++
        line = word.length
      } else line += len
    }
    lines += count
  }
  return lines
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

/** The accord's statement before the facilitator writes it (the report treats it as not written). */
export const STATEMENT_PLACEHOLDER = {
  nl: 'Wij, gemeente en initiatieven, … (de procesbegeleider schrijft hier het kernstatement)',
  en: 'We, municipality and initiatives, … (the facilitator writes the core statement here)',
} as const

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
