/**
 * The demo CoP "Warmtetransitie (voorbeeld)" (issue 11, archive A9): on an empty data folder the
 * home page offers it, so a newcomer can browse an archive, open a snapshot, compare two sessions
 * and print a report within a minute. Three archived sessions from the fixture (their real dates,
 * 19:00–20:30), a fourth planned with the Lemniscaat's "Volgende stap" carried over.
 * DEMO_COP=off switches the offer off.
 */
import type { ParticipantMeta, Role } from '@copboard/storage'
import { getTemplate } from '@copboard/templates'
import { writeRecords } from '@copboard/board'
import { demoSessionRecords, type DemoFixture } from './demo'
import { editStoredRoom, loadBoardDoc, seedRoomFromTemplate } from './stored-room'
import type { SessionArchive } from './session-archive'

export class DemoCop {
  private copId: string | null = null
  private creating: Promise<string> | null = null
  /** offered when enabled and the data folder had no boards when the server started */
  offered = false

  constructor(
    private readonly archive: SessionArchive,
    private readonly enabled: boolean,
  ) {}

  /** Decides once at start-up whether the data folder is empty. */
  async init(): Promise<void> {
    if (!this.enabled) return
    try {
      this.offered = (await this.archive.storedRooms()).length === 0
    } catch {
      this.offered = false
    }
  }

  /** A fresh facilitator token for the demo CoP (created on first use). */
  async open(): Promise<{ copId: string; secret: string }> {
    this.creating ??= this.create().catch((err) => {
      this.creating = null
      throw err
    })
    const copId = await this.creating
    const { secret } = await this.archive.issueLink(copId, 'facilitator', 'Voorbeeld')
    return { copId, secret }
  }

  private async create(): Promise<string> {
    if (this.copId) return this.copId
    const fixture = ((await import('@copboard/templates/fixtures/demo-cop.json')) as unknown as { default: DemoFixture }).default
    const storage = this.archive.storage
    const cop = await storage.createCop({ name: fixture.cop.name, theme: fixture.cop.theme, coHost: fixture.cop.coHost })
    for (const [role, label] of [['participant', 'Deelnemers'], ['viewer', 'Meekijkers']] as [Role, string][]) {
      await this.archive.issueLink(cop.id, role, label)
    }
    let lastFinal: string | null = null
    for (const s of fixture.sessions) {
      const template = getTemplate(s.template)
      const session = await storage.createSession({ copId: cop.id, title: s.title, date: s.date, start: template ? { kind: 'template', templateId: template.id } : { kind: 'empty' } })
      if (template) await seedRoomFromTemplate(storage, session.room, template, { copName: cop.name, sessionNumber: session.number, date: session.date })
      await editStoredRoom(storage, session.room, (doc) => writeRecords(doc, demoSessionRecords(fixture, s.number)))
      const start = `${s.date}T17:00:00.000Z`
      const end = `${s.date}T18:30:00.000Z`
      await storage.transitionSession(session.id, 'planned', 'live', start)
      const ended = (await storage.transitionSession(session.id, 'live', 'ended', end))!
      const people: ParticipantMeta[] = [
        { name: 'Fenna (procesbegeleider)', perspective: 'overig', role: 'facilitator', firstSeen: start, lastSeen: end },
        ...fixture.participants.map((p) => ({ name: p.name, perspective: p.perspective, role: 'participant' as const, firstSeen: start, lastSeen: end })),
      ]
      const snap = await this.archive.snapshot(ended, 'final', await loadBoardDoc(storage, session.room), {}, undefined, people)
      lastFinal = snap.id
    }
    // the next session, planned, with the Lemniscaat's "Volgende stap" carried over
    const last = fixture.sessions.at(-1)
    const next = new Date(Date.parse(`${last?.date ?? '2026-11-09'}T12:00:00Z`) + 28 * 86_400_000).toISOString().slice(0, 10)
    const planned = await this.archive.createSession(cop, { title: 'Van lemniscaat naar akkoord', date: next, start: { kind: 'template', templateId: 'accord' } })
    if (lastFinal) {
      const picks = (await this.archive.carryCandidates(cop.id, lastFinal)).filter((c) => c.picked).map((c) => c.id)
      await this.archive.carryOver(cop.id, planned.id, lastFinal, picks)
    }
    this.copId = cop.id
    return cop.id
  }
}
