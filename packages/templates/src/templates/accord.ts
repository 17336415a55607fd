import type { TemplateDefinition } from '../types'
import { chrome } from './layout'

const W = 2560
const H = 1440
const { titleBlock, agendaBlock, body } = chrome(W, H)
const G = 24
const STATEMENT_H = 400
const lowerY = body.y + STATEMENT_H + G
const lowerH = H - lowerY
const principlesW = Math.round((body.w - G) * 0.6)

export const accord: TemplateDefinition = {
  id: 'accord',
  version: 1,
  title: { nl: 'Akkoord', en: 'Accord' },
  description: {
    nl: 'Een kernstatement met uitgangspunten dat de deelnemers onderschrijven: ieder zet één keer zijn of haar naam eronder.',
    en: 'A core statement with principles that participants endorse: everyone adds their name once.',
  },
  layout: { width: W, height: H },
  titleBlock,
  agendaBlock,
  zones: [
    {
      id: 'statement',
      label: { nl: 'Kernstatement', en: 'Core statement' },
      prompt: { nl: 'Waar staan we samen voor? De procesbegeleider legt de tekst vast.', en: 'What do we stand for together? The facilitator records the text.' },
      rect: { x: body.x, y: body.y, w: body.w, h: STATEMENT_H },
      kind: 'statement',
      statement: true,
      color: 'violet',
    },
    {
      id: 'principles',
      label: { nl: 'Uitgangspunten', en: 'Principles' },
      prompt: { nl: 'Welke uitgangspunten horen bij het kernstatement?', en: 'Which principles belong to the core statement?' },
      rect: { x: body.x, y: lowerY, w: principlesW, h: lowerH },
      color: 'blue',
    },
    {
      id: 'signatures',
      label: { nl: 'Ondertekening', en: 'Endorsements' },
      prompt: { nl: 'Onderschrijf je het akkoord? Zet je naam eronder — één keer per deelnemer.', en: 'Do you endorse the accord? Add your name — once per participant.' },
      rect: { x: body.x + principlesW + G, y: lowerY, w: body.w - principlesW - G, h: lowerH },
      kind: 'signatures',
      signatures: true,
      color: 'green',
    },
  ],
  agenda: [
    { id: 'statement', title: { nl: 'Kernstatement formuleren', en: 'Draft the core statement' }, minutes: 20, zoneIds: ['statement'] },
    { id: 'principles', title: { nl: 'Uitgangspunten', en: 'Principles' }, minutes: 25, zoneIds: ['principles'] },
    { id: 'sign', title: { nl: 'Onderschrijven', en: 'Endorse' }, minutes: 10, zoneIds: ['statement', 'signatures'] },
  ],
}
