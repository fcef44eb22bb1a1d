// The admin page: one tab per section (users, teams, organization policy, integrations, webhooks)
// in an ARIA tab list, the chosen one kept in the URL's hash so a reload stays on it. Web app.
import type { ComponentType } from 'preact'
import { useRef, useState } from 'preact/hooks'
import { t } from '../../i18n/index.js'
import type { StringKey } from '../../i18n/en.js'
import { IntegrationsSection } from './integrations.js'
import { PolicySection } from './policy.js'
import { TeamsSection } from './teams.js'
import { UsersSection } from './users.js'
import { WebhooksSection } from './webhooks.js'

const sections = ['users', 'teams', 'policy', 'integrations', 'webhooks'] as const
type Section = (typeof sections)[number]

const panels: Record<Section, ComponentType> = {
  users: UsersSection,
  teams: TeamsSection,
  policy: PolicySection,
  integrations: IntegrationsSection,
  webhooks: WebhooksSection,
}

const sectionOfHash = (): Section => {
  const name = location.hash.replace(/^#/, '')
  return (sections as readonly string[]).includes(name) ? (name as Section) : 'users'
}

/** The key a tab's arrow, Home or End key moves to, by the WAI-ARIA tabs pattern. */
const stepOf = (key: string, index: number): number | undefined => {
  const last = sections.length - 1
  if (key === 'ArrowRight') return index === last ? 0 : index + 1
  if (key === 'ArrowLeft') return index === 0 ? last : index - 1
  if (key === 'Home') return 0
  if (key === 'End') return last
  return undefined
}

const Tabs = (props: { current: Section; onSelect: (next: Section) => void }) => {
  const list = useRef<HTMLDivElement>(null)
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const next = stepOf(event.key, index)
    if (next === undefined) return
    event.preventDefault()
    props.onSelect(sections[next] ?? 'users')
    list.current?.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus()
  }
  return (
    <div class="admin-tabs" role="tablist" aria-label={t('adm_sections')} ref={list}>
      {sections.map((name, index) => (
        <button
          key={name}
          type="button"
          role="tab"
          id={`admin-tab-${name}`}
          // Only the chosen section's panel exists, so only its tab points at one.
          aria-controls={props.current === name ? `admin-panel-${name}` : undefined}
          aria-selected={props.current === name}
          tabIndex={props.current === name ? 0 : -1}
          onClick={() => props.onSelect(name)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {t(`adm_tab_${name}` as StringKey)}
        </button>
      ))}
    </div>
  )
}

export const AdminScreen = () => {
  const [current, setCurrent] = useState<Section>(sectionOfHash)
  const select = (next: Section) => {
    history.replaceState(history.state, '', `#${next}`)
    setCurrent(next)
  }
  const Panel = panels[current]
  return (
    <section class="admin">
      <h1>{t('adminTitle')}</h1>
      <Tabs current={current} onSelect={select} />
      <div
        role="tabpanel"
        id={`admin-panel-${current}`}
        aria-labelledby={`admin-tab-${current}`}
        tabIndex={0}
      >
        <Panel />
      </div>
    </section>
  )
}
