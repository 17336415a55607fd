import { defineMessages } from '../i18n'

export const messages = defineMessages({
  nl: {
    templates: 'Sjablonen',
    gallery: 'Kies een sjabloon',
    galleryHint: 'Het sjabloon komt op een nieuwe pagina van dit bord. Ongedaan maken kan met één stap.',
    launch: 'Plaatsen',
    close: 'Sluiten',
    copName: 'Naam CoP',
    session: 'Sessie',
    date: 'Datum',
    agenda: 'Agenda',
    minutes: '{n} min',
    wholeBoard: 'Hele sjabloon',
    facilitatorOnly: 'Alleen de procesbegeleider kan sjablonen plaatsen.',
    
    
    zones: '{n} zones',
  },
  en: {
    templates: 'Templates',
    gallery: 'Choose a template',
    galleryHint: 'The template goes on a new page of this board. One undo step removes it.',
    launch: 'Place',
    close: 'Close',
    copName: 'CoP name',
    session: 'Session',
    date: 'Date',
    agenda: 'Agenda',
    minutes: '{n} min',
    wholeBoard: 'Whole template',
    facilitatorOnly: 'Only the facilitator can place templates.',
    
    
    zones: '{n} zones',
  },
})
