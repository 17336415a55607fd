/**
 * Pages are named after what is on them, never "Page 1" (issue 10): the facilitator's client
 * renames tldraw's default-named pages — to the template's title when the page holds one (a
 * session started from a template is seeded on tldraw's first page), else to "Vrij bord".
 * Only the facilitator writes, so participants never race on a name.
 */
import { react, type Editor, type TLPage } from 'tldraw'
import { getTemplate, type Lang } from '@copboard/templates'
import { scaffoldTemplateOf } from './scaffoldLock'

const DEFAULT_NAME = /^(Page|Pagina|Seite|Página) \d+$/i
export const FREE_PAGE_NAME: Record<Lang, string> = { nl: 'Vrij bord', en: 'Open board' }

export function pageNameFor(editor: Editor, page: TLPage, lang: Lang): string | null {
  if (!DEFAULT_NAME.test(page.name)) return null
  const templateId = scaffoldTemplateOf(editor, page.id)
  return (templateId && getTemplate(templateId)?.title[lang]) || FREE_PAGE_NAME[lang]
}

export function installPageNames(editor: Editor, lang: () => Lang): () => void {
  return react('copboard page names', () => {
    const renames: { id: TLPage['id']; name: string }[] = []
    for (const page of editor.getPages()) {
      const name = pageNameFor(editor, page, lang())
      if (name) renames.push({ id: page.id, name })
    }
    if (!renames.length) return
    queueMicrotask(() => editor.run(() => renames.forEach((r) => editor.renamePage(r.id, r.name)), { history: 'ignore' }))
  })
}
