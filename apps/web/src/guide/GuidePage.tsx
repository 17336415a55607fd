/** /gids — the facilitator guide (nl first, en), linked from the gallery and the facilitation panel. */
import { templates } from '@copboard/templates'
import { LanguageSwitch } from '../board/BoardChrome'
import { useLang } from '../i18n'
import { general, templateGuides } from './content'
import './guide.css'

const L = {
  nl: { contents: 'Inhoud', templates: 'De vijf sjablonen', when: 'Wanneer', prepare: 'Voorbereiden', run: 'Zo loopt de sessie', agenda: 'Agenda van het sjabloon', after: 'Daarna', minutes: 'min', total: 'totaal', anonymous: 'anoniem' },
  en: { contents: 'Contents', templates: 'The five templates', when: 'When', prepare: 'Prepare', run: 'Running the session', agenda: "The template's agenda", after: 'Afterwards', minutes: 'min', total: 'total', anonymous: 'anonymous' },
}

export function GuidePage() {
  const lang = useLang()
  const g = general[lang]
  const l = L[lang]
  return (
    <main className="cb-guide" data-testid="guide" lang={lang}>
      <div className="cb-guide__lang">
        <LanguageSwitch />
      </div>
      <h1>{g.title}</h1>
      <p className="cb-guide__intro">{g.intro}</p>
      <nav aria-label={l.contents} className="cb-guide__toc">
        <ul>
          {g.sections.map((s, i) => (
            <li key={i}>
              <a href={`#s${i}`}>{s.heading}</a>
            </li>
          ))}
          <li>
            <a href="#templates">{l.templates}</a>
            <ul>
              {templates.map((t) => (
                <li key={t.id}>
                  <a href={`#${t.id}`}>{t.title[lang]}</a>
                </li>
              ))}
            </ul>
          </li>
        </ul>
      </nav>
      {g.sections.map((s, i) => (
        <section key={i} id={`s${i}`}>
          <h2>{s.heading}</h2>
          <ul>
            {s.items.map((it, j) => (
              <li key={j}>{it}</li>
            ))}
          </ul>
        </section>
      ))}
      <h2 id="templates">{l.templates}</h2>
      {templates.map((t) => {
        const guide = templateGuides[t.id]?.[lang]
        const total = t.agenda.reduce((s, a) => s + a.minutes, 0)
        const anonymous = t.zones.filter((z) => z.anonymous).map((z) => z.label[lang])
        return (
          <section key={t.id} id={t.id} className="cb-guide__template">
            <h3>{t.title[lang]}</h3>
            <p>{t.description[lang]}</p>
            {guide && (
              <>
                <h4>{l.when}</h4>
                <p>{guide.when}</p>
                <h4>{l.prepare}</h4>
                <ul>{guide.prepare.map((x, i) => <li key={i}>{x}</li>)}</ul>
              </>
            )}
            <h4>
              {l.agenda} ({total} {l.minutes} {l.total})
            </h4>
            <ol className="cb-guide__agenda">
              {t.agenda.map((a) => (
                <li key={a.id}>
                  <span>{a.title[lang]}</span>
                  <span className="cb-guide__min">
                    {a.minutes} {l.minutes}
                  </span>
                </li>
              ))}
            </ol>
            {anonymous.length > 0 && (
              <p>
                <strong>{l.anonymous}:</strong> {anonymous.join(', ')}
              </p>
            )}
            {guide && (
              <>
                <h4>{l.run}</h4>
                <ol>{guide.run.map((x, i) => <li key={i}>{x}</li>)}</ol>
                <h4>{l.after}</h4>
                <p>{guide.after}</p>
              </>
            )}
          </section>
        )
      })}
    </main>
  )
}
