/**
 * The route table: one line per page. Patterns use `:name` segments; the matched params are passed
 * to the page. Add a line here for a new page (home/archive pages are ARCHIVE's, /b/:room is BOARD's).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react'

export type RouteParams = Record<string, string>
export interface Route {
  pattern: string
  page: LazyExoticComponent<ComponentType<{ params: RouteParams }>> | ComponentType<{ params: RouteParams }>
}

export const routes: Route[] = [
  { pattern: '/', page: lazy(() => import('./home').then((m) => ({ default: () => <m.HomePage /> }))) },
  { pattern: '/b/:room', page: lazy(() => import('./board/BoardPage').then((m) => ({ default: m.BoardPage }))) },
  { pattern: '/gids', page: lazy(() => import('./guide/GuidePage').then((m) => ({ default: () => <m.GuidePage /> }))) },
  { pattern: '/guide', page: lazy(() => import('./guide/GuidePage').then((m) => ({ default: () => <m.GuidePage /> }))) },
  { pattern: '/cop/:copId/report/:snapshotId', page: lazy(() => import('./archive/ReportPage').then((m) => ({ default: ({ params }: { params: RouteParams }) => <m.ReportPage copId={params.copId} snapshotId={params.snapshotId} /> }))) },
  { pattern: '/cop/:copId', page: lazy(() => import('./archive').then((m) => ({ default: ({ params }: { params: RouteParams }) => <m.CopPage copId={params.copId} /> }))) },
]

export function matchRoute(path: string): { route: Route; params: RouteParams } | null {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean)
  for (const route of routes) {
    const pat = route.pattern.split('/').filter(Boolean)
    if (pat.length !== parts.length) continue
    const params: RouteParams = {}
    let ok = true
    for (let i = 0; i < pat.length; i++) {
      if (pat[i].startsWith(':')) params[pat[i].slice(1)] = decodeURIComponent(parts[i])
      else if (pat[i] !== parts[i]) ok = false
    }
    if (ok) return { route, params }
  }
  return null
}
