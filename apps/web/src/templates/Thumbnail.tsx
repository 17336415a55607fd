import type { TemplateDefinition } from '@copboard/templates'

/** Approximate tldraw palette (light theme) for thumbnails. */
const COLORS: Record<string, string> = {
  black: '#1d1d1d', grey: '#9fa8b2', 'light-violet': '#e085f4', violet: '#ae3ec9', blue: '#4465e9', 'light-blue': '#4ba1f1',
  yellow: '#f1ac4b', orange: '#e16919', green: '#099268', 'light-green': '#4cb05e', 'light-red': '#f87777', red: '#e03131', white: '#ffffff',
}

function lemniscatePath(x: number, y: number, w: number, h: number) {
  const pts: string[] = []
  for (let i = 0; i <= 64; i++) {
    const t = (i / 64) * Math.PI * 2
    pts.push(`${(x + w / 2 + (w / 2) * Math.cos(t)).toFixed(1)},${(y + h / 2 + (h / 2) * Math.sin(2 * t)).toFixed(1)}`)
  }
  return `M${pts.join('L')}`
}

/** A small SVG of the template's layout: title block, agenda and zones in their colours. */
export function TemplateThumbnail({ template, width = 240 }: { template: TemplateDefinition; width?: number }) {
  const { width: W, height: H } = template.layout
  const sw = W / width
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={width} height={(width * H) / W} role="img" aria-label={template.title.nl} data-testid={`thumb-${template.id}`}>
      <rect x={0} y={0} width={W} height={H} fill="#f8f9fa" />
      <rect {...rect(template.titleBlock)} fill={COLORS.violet} fillOpacity={0.25} rx={12 * sw} />
      <rect {...rect(template.agendaBlock)} fill="#dee2e6" rx={12 * sw} />
      {template.zones.map((z) => {
        const c = COLORS[z.color ?? 'grey'] ?? COLORS.grey
        const loop = z.kind === 'loop' || z.kind === 'crossing'
        return <rect key={z.id} {...rect(z.rect)} fill={loop ? 'none' : c} fillOpacity={z.parentZoneId ? 0.35 : 0.18} stroke={c} strokeWidth={2 * sw} strokeDasharray={loop ? `${6 * sw}` : undefined} rx={8 * sw} />
      })}
      {(template.decorations ?? []).map((d) =>
        d.kind === 'lemniscate' ? <path key={d.id} d={lemniscatePath(d.rect.x, d.rect.y, d.rect.w, d.rect.h)} fill="none" stroke={COLORS[d.color ?? 'violet']} strokeWidth={4 * sw} /> : null,
      )}
      {(template.prefilled ?? []).map((p) => (
        <rect key={p.id} x={p.x} y={p.y} width={200 * (p.scale ?? 1)} height={200 * (p.scale ?? 1)} fill={COLORS[p.color ?? 'light-violet']} fillOpacity={0.8} />
      ))}
    </svg>
  )
}

function rect(r: { x: number; y: number; w: number; h: number }) {
  return { x: r.x, y: r.y, width: r.w, height: r.h }
}
