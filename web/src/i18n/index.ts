// The app's language: chosen from navigator.language, switchable, remembered; every string comes
// from one table per language. Web app.
import { signal } from '@preact/signals'
import { en, type StringKey } from './en.js'
import { sv } from './sv.js'

export const languages = { en, sv } as const
export type Language = keyof typeof languages

const storageKey = 'narvaro.language'

const initialLanguage = (): Language => {
  const saved = localStorage.getItem(storageKey)
  if (saved === 'en' || saved === 'sv') return saved
  return navigator.language.toLowerCase().startsWith('sv') ? 'sv' : 'en'
}

export const language = signal<Language>(initialLanguage())

export const setLanguage = (next: Language): void => {
  localStorage.setItem(storageKey, next)
  document.documentElement.lang = next
  language.value = next
}

/** The string for `key` in the current language, with `{name}` placeholders filled in. */
export const t = (key: StringKey, vars: Record<string, string | number> = {}): string =>
  languages[language.value][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(vars[name] ?? ''),
  )

/** A date and time in the current language. */
export const formatTime = (epochMs: number, timeZone?: string): string =>
  new Intl.DateTimeFormat(language.value, {
    dateStyle: 'short',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(epochMs)
