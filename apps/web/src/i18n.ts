/**
 * Dutch first, English second. Each feature declares its own messages with `defineMessages`;
 * the type forces the English table to have exactly the keys of the Dutch one.
 */
import { useSyncExternalStore } from 'react'

export type Lang = 'nl' | 'en'
export type Messages<K extends string> = { nl: Record<K, string>; en: Record<K, string> }

export function defineMessages<K extends string>(m: { nl: Record<K, string>; en: Record<NoInfer<K>, string> }): Messages<K> {
  return m
}

const LANG_KEY = 'copboard.lang'
const listeners = new Set<() => void>()

function readLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(LANG_KEY) === 'en' ? 'en' : 'nl'
  } catch {
    return 'nl'
  }
}
let current: Lang = readLang()

export function getLang(): Lang {
  return current
}

export function setLang(lang: Lang): void {
  current = lang
  try {
    localStorage.setItem(LANG_KEY, lang)
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  for (const l of listeners) l()
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    getLang,
    getLang,
  )
}

/** Returns a translate function for the current language; `{name}` placeholders are filled from `vars`. */
export function useT<K extends string>(messages: Messages<K>) {
  const lang = useLang()
  return (key: K, vars?: Record<string, string | number>) => format(messages[lang][key], vars)
}

export function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m))
}
