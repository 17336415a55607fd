/** Routes without a token: the client config, the demo CoP, creating a CoP. */
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../errors'
import { date, title, today } from '../schemas'
import type { ApiContext } from './context'

export function openRoutes(app: FastifyInstance, { opts, archive, copLink, boardLink }: ApiContext): void {
  app.get('/config', async () => ({ tldrawLicenseKey: opts.tldrawLicenseKey ?? null, demo: opts.demo?.offered ?? false }))

  // issue 11: open the demo CoP (created on first use) with a fresh facilitator link
  app.post('/demo', { config: { rateLimit: { max: opts.createCopLimit?.max ?? 10, timeWindow: opts.createCopLimit?.timeWindowMs ?? 60_000 } } }, async (request, reply) => {
    if (!opts.demo?.offered) throw new ApiError('DEMO_OFF')
    const { copId, secret } = await opts.demo.open()
    reply.code(201)
    return { copId, link: copLink(request, copId, secret) }
  })

  app.post<{ Body: { name: string; theme?: string; coHost?: string; sessionTitle?: string; date?: string } }>(
    '/cops',
    {
      onRequest: app.httpLimits.createCop,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
            theme: { type: 'string', maxLength: 300 },
            coHost: { type: 'string', maxLength: 120 },
            sessionTitle: title,
            date,
          },
        },
      },
    },
    async (request, reply) => {
      const b = request.body
      const { cop, session, secrets } = await archive.createCop(b, { title: b.sessionTitle ?? 'Sessie 1', date: b.date ?? today() })
      const copLinks = {
        facilitator: copLink(request, cop.id, secrets.facilitator),
        participant: copLink(request, cop.id, secrets.participant),
        viewer: copLink(request, cop.id, secrets.viewer),
      }
      const boardLinks = {
        facilitator: boardLink(request, session.room, secrets.facilitator),
        participant: boardLink(request, session.room, secrets.participant),
        viewer: boardLink(request, session.room, secrets.viewer),
      }
      reply.code(201)
      // links: one CoP link per role for the whole series; it resolves to the live session (GET …/current)
      return { cop, session, links: copLinks, copLinks, boardLinks }
    },
  )
}
