/**
 * The facilitator guide (issue 10): how to run a session with each template, Dutch first.
 * Agenda steps and minutes are read from the template definitions themselves, so the guide never
 * disagrees with the board; this file holds the advice around them.
 */
import type { Lang } from '@copboard/templates'

export interface TemplateGuide {
  /** one line: when to choose this template */
  when: string
  /** before the session */
  prepare: string[]
  /** while running it, in order */
  run: string[]
  /** what you get afterwards (report, archive) */
  after: string
}

export const general: Record<Lang, { title: string; intro: string; sections: { heading: string; items: string[] }[] }> = {
  nl: {
    title: 'Gids voor procesbegeleiders',
    intro:
      'Zo begeleid je een online CoP-sessie op copboard: gemeenten en initiatieven werken samen op één bord; jij zet het sjabloon klaar, houdt de tijd en de ruimte, en na afloop wordt het bord gearchiveerd met een verslag.',
    sections: [
      {
        heading: 'Voor de sessie',
        items: [
          'Maak de sessie aan op de CoP-pagina en deel de deelnemerslink (en eventueel de kijkerslink) vooraf.',
          'Open het bord met jouw procesbegeleiderslink. Je kiest geen perspectief: je notities zijn grijs.',
          'Kies in het regiepaneel "Sjablonen en gids" het sjabloon. Het komt op een eigen pagina met de naam van het sjabloon; deelnemers gaan er vanzelf naartoe.',
        ],
      },
      {
        heading: 'Tijdens de sessie',
        items: [
          'Start de sessie in het regiepaneel ("Sessie") zodra iedereen binnen is; de kop van het bord toont dan "Live".',
          'Volg de agenda van het sjabloon (linksboven op het bord): klik een stap om de bijbehorende zones in beeld te brengen.',
          'Perspectieven: deelnemers kiezen bij binnenkomst gemeente, initiatief of overig. Elke notitie draagt dat als label met een eigen vorm (■ ▲ ●), niet alleen als kleur. Met de legenda in de kop licht je één perspectief uit.',
          'Privé schrijven: zet het aan wanneer je wilt dat iedereen eerst zelf nadenkt. Wat deelnemers dan schrijven gaat naar hun eigen privéruimte op de server en bereikt niemands browser — ook de jouwe niet — tot je op "Onthullen" drukt.',
          'Anonieme zones (zoals Akte 1 van de komedie): naam, cursor en selectie van wie daar schrijft zijn voor anderen verborgen, en de notitie verliest haar auteur.',
        ],
      },
      {
        heading: 'Na de sessie',
        items: [
          'Beëindig de sessie in het regiepaneel: het bord wordt bevroren, gearchiveerd en er komt een verslag (Markdown, CSV) met de notities per zone, anonieme zones zonder namen.',
          'Vergelijk op de CoP-pagina twee sessies, of start een nieuwe sessie vanaf het archief.',
        ],
      },
      {
        heading: 'Toetsenbord',
        items: [
          'Tab en Shift+Tab lopen door kop, regiepaneel en knoppen; Enter of spatie bedient ze. De sjabloongalerij neemt de focus en sluit met Escape.',
        ],
      },
    ],
  },
  en: {
    title: 'Facilitator guide',
    intro:
      'How to run an online CoP session on copboard: municipalities and initiatives work together on one board; you set up the template, keep time and space, and afterwards the board is archived with a report.',
    sections: [
      {
        heading: 'Before the session',
        items: [
          'Create the session on the CoP page and share the participant link (and the viewer link if needed) beforehand.',
          'Open the board with your facilitator link. You choose no perspective: your notes are grey.',
          'In the facilitation panel, "Templates and guide", choose the template. It goes on a page of its own, named after the template; participants follow to it by themselves.',
        ],
      },
      {
        heading: 'During the session',
        items: [
          'Start the session in the facilitation panel ("Session") once everyone is in; the board header then shows "Live".',
          "Follow the template's agenda (top left on the board): click a step to frame its zones.",
          'Perspectives: participants choose municipality, initiative or other when they join. Every note carries it as a label with its own shape (■ ▲ ●), not as colour alone. The legend in the header highlights one perspective.',
          "Private writing: switch it on when everyone should think on their own first. What participants then write goes to their own private space on the server and reaches nobody's browser — not even yours — until you press \"Reveal\".",
          "Anonymous zones (such as act 1 of the comedy): the writer's name, cursor and selection are hidden from others, and the note loses its author.",
        ],
      },
      {
        heading: 'After the session',
        items: [
          'End the session in the facilitation panel: the board is frozen and archived, with a report (Markdown, CSV) of the notes per zone, anonymous zones without names.',
          'On the CoP page, compare two sessions, or start a new session from the archive.',
        ],
      },
      {
        heading: 'Keyboard',
        items: ['Tab and Shift+Tab move through the header, the facilitation panel and buttons; Enter or Space operates them. The template gallery takes focus and closes with Escape.'],
      },
    ],
  },
}

export const templateGuides: Record<string, Record<Lang, TemplateGuide>> = {
  'learning-questions': {
    nl: {
      when: 'De startsessie van een CoP: wie zoekt wat, wie biedt wat, en hoe organiseren we het samen?',
      prepare: ['Vraag deelnemers vooraf één leervraag en één aanbod te bedenken.', 'Schrijf zelf twee of drie voorbeeldspelregels om het gesprek op gang te brengen.'],
      run: [
        'Spelregels eerst: laat de groep afspraken voor de samenwerking schrijven en bevestig ze hardop.',
        'Zoeken en bieden: iedereen schrijft in "Wij zoeken kennis over…" en "Wij bieden kennis over…". Zet privé schrijven aan als je wilt dat niemand de ander naprat, en onthul na vijf minuten.',
        'Kruisbestuiving: laat deelnemers pijlen trekken van een vraag naar een aanbod; elke pijl is een match in het verslag.',
        'Organisatie: bespreek de vorm van de CoP; wat nu niet past gaat naar de parkeerplaats.',
      ],
      after: 'Het verslag noemt de matches als paren vraag → aanbod: een startpunt voor de volgende sessie.',
    },
    en: {
      when: "A CoP's start session: who seeks what, who offers what, and how do we organise it together?",
      prepare: ['Ask participants beforehand for one learning question and one offer.', 'Write two or three example ground rules yourself to get the conversation going.'],
      run: [
        'Ground rules first: let the group write agreements for working together and confirm them aloud.',
        'Seek and offer: everyone writes in "We seek knowledge about…" and "We offer knowledge about…". Switch private writing on if nobody should echo the others, and reveal after five minutes.',
        'Cross-pollination: let participants draw arrows from a question to an offer; each arrow is a match in the report.',
        'Organisation: discuss the form of the CoP; what does not fit now goes to the parking lot.',
      ],
      after: 'The report lists the matches as question → offer pairs: a starting point for the next session.',
    },
  },
  lemniscaat: {
    nl: {
      when: 'Praktijk en beleid verbinden: wat initiatieven buiten doen moet binnen tot andere regels, budgetten en besluiten leiden.',
      prepare: ['Kies welk van de drie sporen vandaag centraal staat; de thema\'s van Beleidsleren staan al als voorbeeldnotities klaar.'],
      run: [
        'Leg de lemniscaat uit: links praktijk (buiten), rechts beleid (binnen), in het kruispunt de CoP. De beweging loopt van buiten naar binnen en terug.',
        'Werk per spoor de kolommen af: Nu, Volgende stap, Wie, Wanneer. Vraag bij elke volgende stap expliciet om een naam en een datum.',
        'Gebruik de perspectiefleganda om te laten zien of een spoor vooral door één kant gevuld wordt.',
      ],
      after: 'Het verslag geeft per spoor de afspraken met wie en wanneer: de actielijst van de CoP.',
    },
    en: {
      when: 'Connecting practice and policy: what initiatives do outside must lead to other rules, budgets and decisions inside.',
      prepare: ['Choose which of the three tracks is central today; the Policy learning themes are already there as example notes.'],
      run: [
        'Explain the lemniscate: practice (outside) on the left, policy (inside) on the right, the CoP at the crossing. The movement runs from outside in and back.',
        'Work through the columns per track: Now, Next step, Who, When. For every next step ask explicitly for a name and a date.',
        'Use the perspective legend to show whether a track is filled mostly by one side.',
      ],
      after: "The report gives each track's agreements with who and when: the CoP's action list.",
    },
  },
  comedy: {
    nl: {
      when: 'Het samenspel tussen gemeente en initiatieven verbeteren, beginnend bij de misverstanden — een komedie eindigt altijd goed.',
      prepare: ['Vertel vooraf dat Akte 1 anoniem is: daar mag gezegd worden wat anders blijft hangen.'],
      run: [
        'Akte 1 — Vooroordelen: zet privé schrijven aan, laat iedereen over en weer vooroordelen schrijven en onthul dan. In deze zone zijn naam, cursor en selectie van de schrijver verborgen en verliezen notities hun auteur.',
        'Akte 2 — Waarden: welke waarde maakt elke kant? Licht met de legenda eerst de gemeente, dan de initiatieven uit.',
        'Akte 3 — Opgaven: wat moet elke kant doen om het samenspel te versterken?',
        'Akte 4 — Bestendigen: in welke vorm maken we het blijvend? Dit is vaak het begin van een akkoord (sjabloon Akkoord, volgende sessie).',
      ],
      after: 'Het verslag toont Akte 1 zonder namen; de andere aktes per kant.',
    },
    en: {
      when: 'Improving the interplay between municipality and initiatives, starting from the misunderstandings — a comedy always ends well.',
      prepare: ['Say beforehand that act 1 is anonymous: things may be said there that otherwise stay unsaid.'],
      run: [
        "Act 1 — Prejudices: switch private writing on, let everyone write prejudices both ways, then reveal. In this zone the writer's name, cursor and selection are hidden and notes lose their author.",
        'Act 2 — Values: what value does each side create? Use the legend to highlight the municipality first, then the initiatives.',
        'Act 3 — Tasks: what must each side do to strengthen the interplay?',
        'Act 4 — Making it last: in what form do we make it last? This is often the start of an accord (the Accord template, next session).',
      ],
      after: 'The report shows act 1 without names; the other acts per side.',
    },
  },
  opgroeiruimte: {
    nl: {
      when: 'Een partnerschap tussen gemeente en initiatief inrichten: samen doen en tegelijk verhelderen wie wat doet.',
      prepare: ['Kies welke thema\'s van VERHELDEREN vandaag aan bod komen; je hoeft niet alles in één sessie te doen.'],
      run: [
        'DOEN: de vier delen lopen parallel, niet na elkaar. Laat kleine groepjes elk een deel vullen en wissel na een ronde.',
        'VERHELDEREN: werk per thema de tabel af: de uitdaging, (mogelijke) afspraken, doen.',
        'Borg wat je afspreekt: plan van aanpak → intentieovereenkomst → samenwerkingsovereenkomst.',
      ],
      after: 'Het verslag geeft per thema de afspraken; neem ze mee naar de volgende sessie.',
    },
    en: {
      when: 'Setting up a partnership between municipality and initiative: doing together while clarifying who does what.',
      prepare: ['Choose which CLARIFY themes come up today; you do not have to do everything in one session.'],
      run: [
        'DO: the four parts run in parallel, not in sequence. Let small groups each fill one part and swap after a round.',
        'CLARIFY: work through the table per theme: the challenge, (possible) agreements, do.',
        'Secure what you agree: plan of approach → letter of intent → cooperation agreement.',
      ],
      after: 'The report gives the agreements per theme; take them to the next session.',
    },
  },
  accord: {
    nl: {
      when: 'Afsluiten met een gedeeld kernstatement en uitgangspunten die deelnemers onderschrijven.',
      prepare: ['Zet een eerste versie van het kernstatement klaar, bijvoorbeeld uit Akte 4 van de komedie.'],
      run: [
        'Formuleer het kernstatement samen; jij past de tekst aan, elke wijziging is een nieuwe versie.',
        'Verzamel de uitgangspunten eronder.',
        'Onderschrijven: elke deelnemer onderschrijft één keer; het archief bewaart wie welke versie onderschreef. Kijkers kunnen niet tekenen.',
      ],
      after: 'Het verslag toont het kernstatement, de uitgangspunten en wie welke versie onderschreef.',
    },
    en: {
      when: 'Closing with a shared core statement and principles that participants endorse.',
      prepare: ['Prepare a first version of the core statement, for instance from act 4 of the comedy.'],
      run: [
        'Word the core statement together; you edit the text, each edit is a new version.',
        'Collect the principles below it.',
        'Endorse: each participant endorses once; the archive keeps who endorsed which version. Viewers cannot sign.',
      ],
      after: 'The report shows the core statement, the principles and who endorsed which version.',
    },
  },
}
