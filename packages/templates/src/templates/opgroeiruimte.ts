import type { Localized, TemplateDefinition, ZoneDefinition } from '../types'
import { chrome, split } from './layout'

const W = 3200
const H = 1800
const { titleBlock, agendaBlock, body } = chrome(W, H, 480)
const G = 24
const SECTION_H = 70
const DOEN_H = 420
const doenLabelY = body.y
const doenY = doenLabelY + SECTION_H
const verLabelY = doenY + DOEN_H + 30
const verY = verLabelY + SECTION_H
const doenCols = split(body.x, body.w, 4, G)
const tableCols = split(body.x, body.w, 2, G)
const tableRows = split(verY, H - verY, 2, G)
const TABLE_HEAD = 120

const parts: { id: string; label: Localized; prompt: Localized }[] = [
  { id: 'doen-kennen', label: { nl: 'Leer elkaar kennen', en: 'Get to know each other' }, prompt: { nl: 'Wie zijn we, wat drijft ons, wat kunnen we?', en: 'Who are we, what drives us, what can we do?' } },
  { id: 'doen-stappen', label: { nl: 'Ga stapsgewijs aan de slag', en: 'Get started step by step' }, prompt: { nl: 'Welke mijlpalen (piketpaaltjes) slaan we?', en: 'Which milestones (stakes in the ground) do we set?' } },
  { id: 'doen-borgen', label: { nl: 'Borg het partnerschap', en: 'Secure the partnership' }, prompt: { nl: 'Plan van aanpak → intentieovereenkomst → samenwerkingsovereenkomst.', en: 'Plan of approach → letter of intent → cooperation agreement.' } },
  { id: 'doen-verhaal', label: { nl: 'Werk aan een gezamenlijk verhaal', en: 'Work on a shared story' }, prompt: { nl: 'Welk verhaal vertellen we samen?', en: 'Which story do we tell together?' } },
]

const themes: { id: string; label: Localized; prompt: Localized; color: string }[] = [
  { id: 'namens-wie', label: { nl: 'Namens wie spreek je?', en: 'On whose behalf do you speak?' }, prompt: { nl: 'Mandaat en achterban van elke partij.', en: 'Mandate and constituency of each party.' }, color: 'blue' },
  { id: 'rollen', label: { nl: 'Wat zijn onze rollen?', en: 'What are our roles?' }, prompt: { nl: 'Wie doet wat, en wat verwachten we van elkaar?', en: 'Who does what, and what do we expect of each other?' }, color: 'green' },
  { id: 'veerkrachtig', label: { nl: 'Hoe werken we veerkrachtig samen?', en: 'How do we work together resiliently?' }, prompt: { nl: 'Wat doen we als het tegenzit?', en: 'What do we do when things go wrong?' }, color: 'orange' },
  { id: 'financiering', label: { nl: 'Hoe organiseren we de financiering?!', en: 'How do we organise the funding?!' }, prompt: { nl: 'Van haalbaarheid tot realisatie, zonder stop-go.', en: 'From feasibility to realisation, without stop-go.' }, color: 'violet' },
]

const columns: { id: string; label: Localized; prompt: Localized }[] = [
  { id: 'uitdaging', label: { nl: 'De uitdaging', en: 'The challenge' }, prompt: { nl: 'Waar lopen we tegenaan?', en: 'What are we up against?' } },
  { id: 'afspraken', label: { nl: '(Mogelijke) afspraken', en: '(Possible) agreements' }, prompt: { nl: 'Wat spreken we af?', en: 'What do we agree?' } },
  { id: 'doen', label: { nl: 'Doen', en: 'Do' }, prompt: { nl: 'Wie doet wat?', en: 'Who does what?' } },
]

const zones: ZoneDefinition[] = parts.map((p, i) => ({
  ...p,
  rect: { x: doenCols[i].start, y: doenY, w: doenCols[i].size, h: DOEN_H },
  color: 'light-green',
}))

themes.forEach((t, i) => {
  const rect = { x: tableCols[i % 2].start, y: tableRows[Math.floor(i / 2)].start, w: tableCols[0].size, h: tableRows[0].size }
  zones.push({ id: t.id, label: t.label, prompt: t.prompt, rect, kind: 'table', color: t.color })
  const cells = split(rect.x + 16, rect.w - 32, 3, 12)
  columns.forEach((c, j) => {
    zones.push({
      id: `${t.id}-${c.id}`,
      label: c.label,
      prompt: c.prompt,
      rect: { x: cells[j].start, y: rect.y + TABLE_HEAD, w: cells[j].size, h: rect.h - TABLE_HEAD - 16 },
      kind: 'cell',
      parentZoneId: t.id,
      color: t.color,
    })
  })
})

export const opgroeiruimte: TemplateDefinition = {
  id: 'opgroeiruimte',
  version: 1,
  title: { nl: 'Opgroeiruimte-canvas', en: 'Room-to-grow canvas' },
  description: {
    nl: 'Partnerschap gemeente–initiatief: DOEN in vier parallelle delen en VERHELDEREN in vier thema’s (uitdaging · afspraken · doen).',
    en: 'Municipality–initiative partnership: DO in four parallel parts and CLARIFY in four themes (challenge · agreements · do).',
  },
  layout: { width: W, height: H },
  titleBlock,
  agendaBlock,
  zones,
  decorations: [
    { kind: 'text', id: 'doen', text: { nl: 'DOEN — vier delen, tegelijk', en: 'DO — four parts, in parallel' }, x: body.x, y: doenLabelY, w: body.w, size: 'xl' },
    { kind: 'text', id: 'verhelderen', text: { nl: 'VERHELDEREN — vier thema’s', en: 'CLARIFY — four themes' }, x: body.x, y: verLabelY, w: body.w, size: 'xl' },
  ],
  agenda: [
    { id: 'doen', title: { nl: 'DOEN: vier delen', en: 'DO: four parts' }, minutes: 25, zoneIds: parts.map((p) => p.id) },
    ...themes.map((t) => ({ id: t.id, title: t.label, minutes: 15, zoneIds: [t.id] })),
  ],
}
