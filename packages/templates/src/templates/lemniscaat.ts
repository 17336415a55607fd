import type { Localized, PrefilledNote, TemplateDefinition, ZoneDefinition } from '../types'
import { chrome, split } from './layout'

const W = 3200
const H = 1800
const { titleBlock, agendaBlock, body } = chrome(W, H, 480)
const G = 20
const BAND_H = 460 // the figure-eight band
const band = { x: body.x, y: body.y, w: body.w, h: BAND_H }
const crossingW = 280
const loopW = (band.w - crossingW) / 2
const lanesY = band.y + BAND_H + 30
const lanes = split(lanesY, H - lanesY, 3, G)
const HEADER_W = 560
const cols = split(body.x + HEADER_W + G, body.w - HEADER_W - G, 4, 16)

const columns: { id: string; label: Localized; prompt: Localized }[] = [
  { id: 'now', label: { nl: 'Nu', en: 'Now' }, prompt: { nl: 'Waar staan we nu?', en: 'Where are we now?' } },
  { id: 'next', label: { nl: 'Volgende stap', en: 'Next step' }, prompt: { nl: 'Wat is de eerstvolgende stap?', en: 'What is the very next step?' } },
  { id: 'who', label: { nl: 'Wie', en: 'Who' }, prompt: { nl: 'Wie pakt het op?', en: 'Who takes it on?' } },
  { id: 'when', label: { nl: 'Wanneer', en: 'When' }, prompt: { nl: 'Wanneer is het klaar?', en: 'When is it done?' } },
]

const tracks: { id: string; label: Localized; prompt: Localized; color: string }[] = [
  {
    id: 'visible',
    label: { nl: 'Zichtbaar maken en verspreiden', en: 'Make visible and spread' },
    prompt: { nl: 'Laat zien welke initiatieven er zijn en wat ze waard zijn; help anderen aanhaken en groeien.', en: 'Show which initiatives exist and their value; help others join and grow.' },
    color: 'green',
  },
  {
    id: 'policy-learning',
    label: { nl: 'Beleidsleren', en: 'Policy learning' },
    prompt: { nl: 'Beleidsmakers leren in de praktijk: welke instrumenten, regels en kaders moeten anders?', en: 'Policy makers learn in practice: which instruments, rules and frameworks must change?' },
    color: 'blue',
  },
  {
    id: 'political',
    label: { nl: 'Politieke agendering en institutionalisering', en: 'Political agenda-setting and institutionalisation' },
    prompt: { nl: 'De formele democratische route: besluiten, advies aan de gemeenteraad.', en: 'The formal democratic route: decisions, advice to the municipal council.' },
    color: 'violet',
  },
]

const zones: ZoneDefinition[] = [
  {
    id: 'practice',
    label: { nl: 'Praktijk (buiten)', en: 'Practice (outside)' },
    prompt: { nl: 'Wat doen de initiatieven?', en: 'What do the initiatives do?' },
    rect: { x: band.x, y: band.y, w: loopW, h: BAND_H },
    kind: 'loop',
    color: 'green',
  },
  {
    id: 'cop',
    label: { nl: 'CoP', en: 'CoP' },
    prompt: { nl: 'Hier kruisen praktijk en beleid.', en: 'Where practice and policy cross.' },
    rect: { x: band.x + loopW, y: band.y, w: crossingW, h: BAND_H },
    kind: 'crossing',
    color: 'violet',
  },
  {
    id: 'policy',
    label: { nl: 'Beleid (binnen)', en: 'Policy (inside)' },
    prompt: { nl: 'Beleid, regels, budgetten.', en: 'Policy, rules, budgets.' },
    rect: { x: band.x + loopW + crossingW, y: band.y, w: loopW, h: BAND_H },
    kind: 'loop',
    color: 'blue',
  },
]

tracks.forEach((t, i) => {
  const lane = lanes[i]
  zones.push({ id: t.id, label: t.label, prompt: t.prompt, rect: { x: body.x, y: lane.start, w: body.w, h: lane.size }, kind: 'lane', color: t.color, headerW: HEADER_W })
  columns.forEach((c, j) => {
    zones.push({
      id: `${t.id}-${c.id}`,
      label: c.label,
      prompt: c.prompt,
      rect: { x: cols[j].start, y: lane.start + 12, w: cols[j].size, h: lane.size - 24 },
      kind: 'cell',
      parentZoneId: t.id,
      color: t.color,
    })
  })
})

const themes: Localized[] = [
  { nl: 'Gebiedsrecht & opgroeirecht', en: 'Area rights & right to grow up' },
  { nl: 'Positie van coöperaties in de transitievisie warmte', en: 'Position of cooperatives in the heat transition vision' },
  { nl: 'Ondersteunings- en waarderingskader', en: 'Support and appreciation framework' },
  { nl: 'Gemeente als garantsteller & investeerder', en: 'Municipality as guarantor & investor' },
]
const policyLane = lanes[1]
const prefilled: PrefilledNote[] = themes.map((text, i) => ({
  id: `policy-theme-${i + 1}`,
  zoneId: 'policy-learning',
  text,
  x: body.x + 24 + i * 130,
  y: policyLane.start + policyLane.size - 150,
  scale: 0.6,
  color: 'light-violet',
}))

export const lemniscaat: TemplateDefinition = {
  id: 'lemniscaat',
  version: 1,
  title: { nl: 'Lemniscaat-sporen', en: 'Lemniscate tracks' },
  description: {
    nl: 'Het Zwolse lemniscaat: praktijk (buiten) en beleid (binnen) kruisen in de CoP. Drie sporen met Nu · Volgende stap · Wie · Wanneer.',
    en: 'The Zwolle lemniscate: practice (outside) and policy (inside) cross in the CoP. Three tracks with Now · Next step · Who · When.',
  },
  layout: { width: W, height: H },
  titleBlock,
  agendaBlock,
  zones,
  decorations: [
    { kind: 'lemniscate', id: 'figure-eight', rect: { x: band.x + 40, y: band.y + 20, w: band.w - 80, h: BAND_H - 40 }, color: 'violet' },
    {
      kind: 'text',
      id: 'flow',
      text: { nl: 'van buiten naar binnen, en terug', en: 'from outside in, and back' },
      x: band.x + loopW - 160,
      y: band.y + BAND_H - 56,
      w: crossingW + 320,
      size: 'm',
      align: 'middle',
    },
  ],
  prefilled,
  agenda: [
    { id: 'figure', title: { nl: 'Het lemniscaat: praktijk en beleid', en: 'The lemniscate: practice and policy' }, minutes: 15, zoneIds: ['practice', 'cop', 'policy'] },
    ...tracks.map((t) => ({ id: t.id, title: t.label, minutes: 20, zoneIds: [t.id] })),
    { id: 'close', title: { nl: 'Wie doet wat, wanneer?', en: 'Who does what, when?' }, minutes: 10, zoneIds: tracks.map((t) => t.id) },
  ],
}
