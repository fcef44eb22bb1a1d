// The app's pages by path (/board, /me, /reach, ...): history navigation without a reload; web app.
import { signal } from '@preact/signals'

export const pages = ['board', 'me', 'reach', 'privacy', 'workflows', 'admin', 'password'] as const
export type Page = (typeof pages)[number]

const pageOf = (path: string): Page => {
  const name = path.replace(/^\//, '').split('/')[0] ?? ''
  return (pages as readonly string[]).includes(name) ? (name as Page) : 'board'
}

export const page = signal<Page>(pageOf(location.pathname))

export const navigate = (next: Page): void => {
  if (next === page.value) return
  history.pushState(null, '', `/${next}`)
  page.value = next
}

addEventListener('popstate', () => (page.value = pageOf(location.pathname)))
