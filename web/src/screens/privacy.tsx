// Privacy: my rules and their editor, my settings (appear offline, outside working hours, priority
// access), the preview "what does X see of me now" beside what I see, my watchers and requests
// (approve, deny, revoke), and my disclosure audit. Web app.
import { useEffect, useState } from 'preact/hooks'
import type { ReplyOf, View } from '@narvaro/sdk'
import { Alert, ViewCard, useAction } from '../components.js'
import { AddressForm } from '../form-fields.js'
import { formatTime, t } from '../i18n/index.js'
import type { StringKey } from '../i18n/en.js'
import { client } from '../session.js'
import { RuleEditor, describeRule, type Group, type Rule } from './rule-editor.js'
import {
  AppearOffline,
  OutsideHours,
  PriorityAccess,
  type PrivacySettings,
  type SaveSettings,
} from './privacy-settings.js'

type Settings = ReplyOf<'/v1/me/privacy', 'get'>
type Preview = ReplyOf<'/v1/me/privacy/preview', 'get'>
type Watcher = ReplyOf<'/v1/me/watchers', 'get'>[number]
type Disclosure = ReplyOf<'/v1/me/disclosures', 'get'>[number]

const Rules = (props: { settings: Settings; groups: readonly Group[]; save: SaveSettings }) => {
  const rules: readonly Rule[] = props.settings.settings.rules ?? []
  const save = (next: readonly Rule[]) => props.save({ rules: [...next] })
  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">{t('myRules')}</h2>
      {props.settings.usingDefaultRules ? <p>{t('usingDefaults')}</p> : null}
      {rules.length === 0 ? <p>{t('noRules')}</p> : null}
      <ul class="rules" aria-label={t('myRules')}>
        {rules.map((rule) => (
          <li key={rule.id}>
            <span>{describeRule(rule, props.groups)}</span>{' '}
            <button
              type="button"
              aria-label={`${t('remove')}: ${describeRule(rule, props.groups)}`}
              onClick={() => save(rules.filter((r) => r.id !== rule.id))}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <RuleEditor groups={props.groups} onAdd={(rule) => save([...rules, rule])} />
    </section>
  )
}

/** What the preview's view is made of: the location to its granularity, appear offline, off work. */
const Permissions = (props: { preview: Preview }) => {
  const { permissions, view } = props.preview
  const place = [view.location?.city, view.location?.country].filter(Boolean).join(', ')
  const exact =
    view.location?.latitude !== undefined
      ? `${view.location.latitude}, ${view.location.longitude ?? ''}`
      : ''
  const granularity = t(`gran_${permissions.location}` as StringKey)
  return (
    <dl class="permissions" aria-label={t('previewPermissions')}>
      <dt>{t('ruleLocation')}</dt>
      <dd data-field="location">
        {[granularity, place, exact].filter(Boolean).join(' — ') || t('none')}
      </dd>
      <dt>{t('ruleSubscription')}</dt>
      <dd data-field="subscription">{t(`sub_${permissions.subscription}` as StringKey)}</dd>
      {permissions.appearOffline ? (
        <dd data-field="appear-offline">{t('permAppearOffline')}</dd>
      ) : null}
      {permissions.offWork ? <dd data-field="off-work">{t('permOffWork')}</dd> : null}
    </dl>
  )
}

const Preview = (props: { version: number }) => {
  const [watcher, setWatcher] = useState('')
  const [shown, setShown] = useState<{ theirs: Preview; mine: View } | undefined>(undefined)
  const { error, run } = useAction()
  const show = () =>
    void run(async () => {
      const [preview, mine] = await Promise.all([
        client.preview({ watcher: watcher.trim() }),
        client.myPresence(),
      ])
      setShown({ theirs: preview, mine: mine.view })
    })
  // The preview follows my rules: shown again after each change of them.
  useEffect(() => {
    if (shown) show()
  }, [props.version])
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t('previewTitle')}</h2>
      <AddressForm
        label={t('previewWatcher')}
        name="watcher"
        value={watcher}
        set={setWatcher}
        submit={t('preview')}
        onSubmit={show}
      />
      <Alert error={error} />
      {shown ? (
        <div class="side-by-side">
          <div data-preview="theirs">
            <ViewCard view={shown.theirs.view} title={t('theySee')} now={Date.now()} />
            <Permissions preview={shown.theirs} />
          </div>
          <div data-preview="mine">
            <ViewCard view={shown.mine} title={t('iSee')} now={Date.now()} />
          </div>
        </div>
      ) : null}
    </section>
  )
}

const WatcherActions = (props: {
  watcher: Watcher
  act: (kind: 'approve' | 'deny' | 'revoke') => void
}) => {
  const { watcher, act } = props
  const label = (key: StringKey) => `${t(key)}: ${watcher.watcherAddress}`
  if (watcher.state === 'pending')
    return (
      <>
        <button type="button" aria-label={label('approve')} onClick={() => act('approve')}>
          {t('approve')}
        </button>{' '}
        <button type="button" aria-label={label('deny')} onClick={() => act('deny')}>
          {t('deny')}
        </button>
      </>
    )
  return (
    <button type="button" aria-label={label('revoke')} onClick={() => act('revoke')}>
      {t('revoke')}
    </button>
  )
}

const Watchers = () => {
  const [watchers, setWatchers] = useState<readonly Watcher[]>([])
  const { error, run } = useAction()
  const load = () => void run(async () => setWatchers(await client.watchers()))
  useEffect(load, [])
  const act = (address: string) => (kind: 'approve' | 'deny' | 'revoke') =>
    void run(async () => {
      if (kind === 'approve') await client.approveWatcher(address)
      else if (kind === 'deny') await client.denyWatcher(address)
      else await client.revokeWatcher(address)
      setWatchers(await client.watchers())
    })
  return (
    <section aria-labelledby="watchers-title">
      <h2 id="watchers-title">{t('watchersTitle')}</h2>
      {watchers.length === 0 ? <p>{t('noWatchers')}</p> : null}
      <ul>
        {watchers.map((w) => (
          <li key={w.watcherAddress}>
            {w.watcherAddress}: {t(`ws_${w.state}` as StringKey)}{' '}
            <WatcherActions watcher={w} act={act(w.watcherAddress)} />
          </li>
        ))}
      </ul>
      <Alert error={error} />
    </section>
  )
}

const Audit = () => {
  const [entries, setEntries] = useState<readonly Disclosure[]>([])
  const { error, run } = useAction()
  useEffect(
    () =>
      void run(async () =>
        setEntries(await client.api.GET('/v1/me/disclosures').then((r) => r.data ?? [])),
      ),
    [],
  )
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('auditTitle')}</h2>
      {entries.length === 0 ? <p>{t('noAudit')}</p> : null}
      <ul>
        {entries.slice(0, 50).map((entry) => (
          <li key={entry.id}>
            {formatTime(entry.at)}: {entry.actorAddress}, {entry.kind}{' '}
            {Object.keys(entry.data).join(', ')}
          </li>
        ))}
      </ul>
      <Alert error={error} />
    </section>
  )
}

/** My settings, loaded once and saved whole (the API replaces them), with the groups they name. */
const usePrivacy = (onSaved: () => void) => {
  const [settings, setSettings] = useState<Settings | undefined>(undefined)
  const [groups, setGroups] = useState<readonly Group[]>([])
  const { error, info, run } = useAction()
  useEffect(() => {
    void run(async () => {
      const [mine, teams] = await Promise.all([client.privacyRules(), client.teams()])
      setSettings(mine)
      setGroups(teams)
    })
  }, [])
  const save: SaveSettings = (patch) =>
    void run(async () => {
      const next: PrivacySettings = { ...settings?.settings, ...patch }
      // Shown at once (a checkbox must not spring back while the request runs); what the server
      // kept replaces it, also when the request fails.
      if (settings) setSettings({ ...settings, settings: next })
      try {
        await client.setPrivacyRules(next)
      } finally {
        setSettings(await client.privacyRules())
      }
      onSaved()
      return t('saved')
    })
  return { settings, groups, save, error, info }
}

export const PrivacyScreen = () => {
  const [version, setVersion] = useState(0)
  const { settings, groups, save, error, info } = usePrivacy(() => setVersion((v) => v + 1))
  return (
    <section>
      <h1>{t('privacyTitle')}</h1>
      <Alert error={error} info={info} />
      <div class="forms">
        {settings ? <Rules settings={settings} groups={groups} save={save} /> : null}
        <Preview version={version} />
      </div>
      {settings ? (
        <div class="forms">
          <AppearOffline settings={settings.settings} save={save} />
          <OutsideHours settings={settings.settings} save={save} />
          <PriorityAccess settings={settings.settings} groups={groups} save={save} />
        </div>
      ) : null}
      <Watchers />
      <Audit />
    </section>
  )
}
