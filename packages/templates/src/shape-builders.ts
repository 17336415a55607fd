/**
 * The record builders of templateToRecords: deterministic shape ids per (page, template, part,
 * zone), locked scaffold meta, and geo and text shapes in the template's language.
 */
import type { TLShape } from '@tldraw/tlschema'
import { indexKey } from './index-keys'
import { plainToRichText } from './richtext'
import type { CopboardScaffoldMeta, Lang, Localized, TemplateDefinition } from './types'

export type Size = 's' | 'm' | 'l' | 'xl'

export interface Ctx {
  t: TemplateDefinition
  lang: Lang
  pageId: string
  key: string
  ox: number
  oy: number
  out: TLShape[]
  n: number
}

export function meta(ctx: Ctx, zoneId: string | null, part: CopboardScaffoldMeta['part'], scaffold = true) {
  const m: CopboardScaffoldMeta = { templateId: ctx.t.id, version: ctx.t.version, zoneId, scaffold, part }
  return { copboard: { ...m } }
}

export function shapeId(ctx: Ctx, part: string, id: string) {
  return `shape:${ctx.key}.${ctx.t.id}.${part}.${id}` as TLShape['id']
}

export function base(ctx: Ctx, id: string, type: string, x: number, y: number, parentId: string | undefined, zoneId: string | null, part: CopboardScaffoldMeta['part'], locked = true) {
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

export function push(ctx: Ctx, s: unknown) {
  ctx.out.push(s as TLShape)
}

export function L(ctx: Ctx, l: Localized) {
  return l[ctx.lang]
}

export function geo(ctx: Ctx, o: { id: string; x: number; y: number; w: number; h: number; color?: string; fill?: string; dash?: string; geo?: string; parentId?: string; zoneId: string | null; part: CopboardScaffoldMeta['part']; text?: string; size?: Size }) {
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
export function text(ctx: Ctx, o: { id: string; x: number; y: number; w: number; text: string; size?: Size; align?: 'start' | 'middle' | 'end'; scale?: number; parentId?: string; zoneId: string | null; part: CopboardScaffoldMeta['part'] }) {
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
export const PAD = 24
