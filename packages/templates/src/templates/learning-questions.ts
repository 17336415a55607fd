import type { TemplateDefinition } from '../types'
import { chrome, split } from './layout'

const W = 2560
const H = 1440
const { titleBlock, agendaBlock, body } = chrome(W, H)
const G = 24
const stripH = 360
const top = { y: body.y, h: body.h - stripH - G }
const cols = split(body.x, body.w, 3, G)
const strips = split(body.x, body.w, 2, G)
const stripY = top.y + top.h + G

export const learningQuestions: TemplateDefinition = {
  id: 'learning-questions',
  version: 1,
  title: { nl: 'Leervragen-bord', en: 'Learning-question board' },
  description: {
    nl: 'Startsessie: wat zoeken we, wat bieden we, hoe organiseren we de CoP? Trek pijlen van vraag naar aanbod voor kruisbestuiving.',
    en: 'Start session: what do we seek, what do we offer, how do we organise the CoP? Draw arrows from question to offer to cross-pollinate.',
  },
  layout: { width: W, height: H },
  titleBlock,
  agendaBlock,
  zones: [
    {
      id: 'seek',
      label: { nl: 'Wij zoeken kennis over…', en: 'We are looking for knowledge about…' },
      prompt: { nl: 'Ik en mijn gemeente/initiatief hebben kennis en ervaring nodig over…', en: 'I and my municipality/initiative need knowledge and experience about…' },
      rect: { x: cols[0].start, y: top.y, w: cols[0].size, h: top.h },
      color: 'blue',
    },
    {
      id: 'offer',
      label: { nl: 'Wij bieden kennis over…', en: 'We offer knowledge about…' },
      prompt: { nl: 'Wij kunnen kennis en ervaring bieden op het gebied van…', en: 'We can offer knowledge and experience in…' },
      rect: { x: cols[1].start, y: top.y, w: cols[1].size, h: top.h },
      color: 'green',
    },
    {
      id: 'organise',
      label: { nl: 'Hoe organiseren we deze CoP?', en: 'How do we organise this CoP?' },
      prompt: { nl: 'In welke vorm moet de CoP georganiseerd worden?', en: 'In what form should the CoP be organised?' },
      rect: { x: cols[2].start, y: top.y, w: cols[2].size, h: top.h },
      color: 'violet',
    },
    {
      id: 'ground-rules',
      label: { nl: 'Spelregels', en: 'Ground rules' },
      prompt: { nl: 'Welke afspraken maken we met elkaar?', en: 'Which ground rules do we agree on?' },
      rect: { x: strips[0].start, y: stripY, w: strips[0].size, h: stripH },
      kind: 'strip',
      color: 'orange',
    },
    {
      id: 'parking-lot',
      label: { nl: 'Parkeerplaats', en: 'Parking lot' },
      prompt: { nl: 'Wat nu niet past, maar niet verloren mag gaan.', en: 'What does not fit now, but must not get lost.' },
      rect: { x: strips[1].start, y: stripY, w: strips[1].size, h: stripH },
      kind: 'strip',
      color: 'grey',
    },
  ],
  agenda: [
    { id: 'rules', title: { nl: 'Welkom en spelregels', en: 'Welcome and ground rules' }, minutes: 10, zoneIds: ['ground-rules'] },
    { id: 'seek', title: { nl: 'Wat zoeken we?', en: 'What do we seek?' }, minutes: 15, zoneIds: ['seek'] },
    { id: 'offer', title: { nl: 'Wat bieden we?', en: 'What do we offer?' }, minutes: 15, zoneIds: ['offer'] },
    { id: 'match', title: { nl: 'Kruisbestuiving: trek pijlen van vraag naar aanbod', en: 'Cross-pollination: draw arrows from question to offer' }, minutes: 20, zoneIds: ['seek', 'offer'] },
    { id: 'organise', title: { nl: 'Hoe organiseren we deze CoP?', en: 'How do we organise this CoP?' }, minutes: 15, zoneIds: ['organise'] },
    { id: 'close', title: { nl: 'Parkeerplaats en afsluiting', en: 'Parking lot and closing' }, minutes: 5, zoneIds: ['parking-lot'] },
  ],
  matching: { fromZoneId: 'seek', toZoneId: 'offer' },
}
