import type { Localized, TemplateDefinition, ZoneDefinition } from '../types'
import { chrome, split } from './layout'

const W = 2880
const H = 1620
const { titleBlock, agendaBlock, body } = chrome(W, H, 480)
const G = 32
const colsX = split(body.x, body.w, 2, G)
const rowsY = split(body.y, body.h, 2, G)
const HEAD = 150 // act heading + prompt inside the frame
const IN = 20

interface Act {
  n: number
  id: string
  label: Localized
  prompt: Localized
  gemeente: Localized
  initiatieven: Localized
  anonymous?: boolean
  color: string
}

const acts: Act[] = [
  {
    n: 1,
    id: 'act1',
    label: { nl: 'Akte 1 — Vooroordelen', en: 'Act 1 — Prejudices' },
    prompt: { nl: 'Welke vooroordelen hebben we over elkaar? Over en weer — hier mag het anoniem.', en: 'Which prejudices do we hold about each other? Both ways — anonymous here.' },
    gemeente: { nl: 'Wat denkt de gemeente over initiatieven?', en: 'What does the municipality think of initiatives?' },
    initiatieven: { nl: 'Wat denken initiatieven over de gemeente?', en: 'What do initiatives think of the municipality?' },
    anonymous: true,
    color: 'red',
  },
  {
    n: 2,
    id: 'act2',
    label: { nl: 'Akte 2 — Waarden', en: 'Act 2 — Values' },
    prompt: { nl: 'Welke waarden creëert elke kant?', en: 'Which values does each side create?' },
    gemeente: { nl: 'Waarde die de gemeente creëert', en: 'Value the municipality creates' },
    initiatieven: { nl: 'Waarde die initiatieven creëren', en: 'Value initiatives create' },
    color: 'orange',
  },
  {
    n: 3,
    id: 'act3',
    label: { nl: 'Akte 3 — Opgaven', en: 'Act 3 — Tasks' },
    prompt: { nl: 'Welke opgaven heeft elke kant om het samenspel te versterken?', en: 'Which tasks does each side have to strengthen the interplay?' },
    gemeente: { nl: 'Opgaven voor de gemeente', en: 'Tasks for the municipality' },
    initiatieven: { nl: 'Opgaven voor initiatieven', en: 'Tasks for initiatives' },
    color: 'blue',
  },
  {
    n: 4,
    id: 'act4',
    label: { nl: 'Akte 4 — Bestendigen', en: 'Act 4 — Making it last' },
    prompt: { nl: 'In welke vorm maken we het samenspel blijvend? (bijv. een akkoord)', en: 'In what form do we make the interplay last? (e.g. an accord)' },
    gemeente: { nl: 'Wat legt de gemeente vast?', en: 'What does the municipality commit to?' },
    initiatieven: { nl: 'Wat leggen initiatieven vast?', en: 'What do initiatives commit to?' },
    color: 'green',
  },
]

/** The two halves of every act, left to right. */
const SIDES = [
  { key: 'gemeente', label: { nl: 'Gemeente', en: 'Municipality' }, color: 'light-blue' },
  { key: 'initiatieven', label: { nl: 'Initiatieven', en: 'Initiatives' }, color: 'light-green' },
] as const

const zones: ZoneDefinition[] = []
acts.forEach((a, i) => {
  const cx = colsX[i % 2]
  const cy = rowsY[Math.floor(i / 2)]
  const rect = { x: cx.start, y: cy.start, w: cx.size, h: cy.size }
  zones.push({ id: a.id, label: a.label, prompt: a.prompt, rect, kind: 'act', color: a.color, anonymous: a.anonymous })
  const halves = split(rect.x + IN, rect.w - 2 * IN, 2, IN)
  const hy = rect.y + HEAD
  const hh = rect.h - HEAD - IN
  SIDES.forEach((side, j) =>
    zones.push({
      id: `${a.id}-${side.key}`,
      label: side.label,
      prompt: a[side.key],
      rect: { x: halves[j].start, y: hy, w: halves[j].size, h: hh },
      kind: 'half',
      parentZoneId: a.id,
      anonymous: a.anonymous,
      color: side.color,
    }),
  )
})

export const comedy: TemplateDefinition = {
  id: 'comedy',
  version: 1,
  title: { nl: 'Vier-akten-komedie', en: 'Comedy in four acts' },
  description: {
    nl: 'De Zwolse Komedie: van misverstand naar samenspel in vier akten, steeds Gemeente | Initiatieven. Akte 1 is anoniem.',
    en: 'The Zwolle Comedy: from misunderstanding to interplay in four acts, each Municipality | Initiatives. Act 1 is anonymous.',
  },
  layout: { width: W, height: H },
  titleBlock,
  agendaBlock,
  zones,
  agenda: acts.map((a) => ({
    id: a.id,
    title: a.label,
    minutes: a.n === 1 ? 15 : a.n === 4 ? 25 : 20,
    zoneIds: [a.id],
  })),
}
