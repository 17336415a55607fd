/** Path routing without a router dependency: the route table lives in routes.tsx. */
import { Suspense, useEffect, useState } from 'react'
import { defineMessages, useT } from './i18n'
import { matchRoute } from './routes'

const messages = defineMessages({
  nl: { notFound: 'Deze pagina bestaat niet.', home: 'Naar de startpagina', loading: 'Laden…' },
  en: { notFound: 'This page does not exist.', home: 'Go to the start page', loading: 'Loading…' },
})

/** Client-side navigation (pushState) that the App follows. */
export function navigate(to: string): void {
  history.pushState(null, '', to)
  dispatchEvent(new PopStateEvent('popstate'))
}

function usePath(): string {
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const on = () => setPath(location.pathname)
    addEventListener('popstate', on)
    return () => removeEventListener('popstate', on)
  }, [])
  return path
}

export function PageLoading() {
  const t = useT(messages)
  return (
    <div className="cb-page-loading" role="status">
      <div className="cb-spinner" aria-hidden />
      <span>{t('loading')}</span>
    </div>
  )
}

export function App() {
  const path = usePath()
  const t = useT(messages)
  const m = matchRoute(path)
  if (!m) {
    return (
      <main className="cb-notfound">
        <p>{t('notFound')}</p>
        <a href="/">{t('home')}</a>
      </main>
    )
  }
  const Page = m.route.page
  return (
    <Suspense fallback={<PageLoading />}>
      <Page params={m.params} />
    </Suspense>
  )
}
