// My personal privacy settings beside the rules: appear offline to chosen people, share outside
// working hours, and priority access (who may still reach me in do-not-disturb, by which kinds);
// web app.
import { useState } from 'preact/hooks'
import type { BodyOf } from '@narvaro/sdk'
import { listOf } from '../components.js'
import { AddressForm, TextField } from '../form-fields.js'
import { t } from '../i18n/index.js'
import type { StringKey } from '../i18n/en.js'
import { GroupBoxes, groupName, type Group } from './rule-editor.js'

export type PrivacySettings = BodyOf<'/v1/me/privacy', 'put'>
type Priority = NonNullable<PrivacySettings['priorityAccess']>[number]
type Kind = Priority['kinds'][number]
/** Saves a change of the settings (the rest stays as it is). */
export type SaveSettings = (patch: Partial<PrivacySettings>) => void

const kinds: readonly Kind[] = ['im', 'voice', 'video', 'sms', 'email', 'phone']

export const AppearOffline = (props: { settings: PrivacySettings; save: SaveSettings }) => {
  const [address, setAddress] = useState('')
  const list = props.settings.appearOfflineTo ?? []
  return (
    <section aria-labelledby="offline-title">
      <h2 id="offline-title">{t('appearOfflineTitle')}</h2>
      <p>{t('appearOfflineHelp')}</p>
      {list.length === 0 ? <p>{t('noAppearOffline')}</p> : null}
      <ul class="rules" aria-label={t('appearOfflineTitle')}>
        {list.map((who) => (
          <li key={who}>
            <span>{who}</span>{' '}
            <button
              type="button"
              aria-label={`${t('remove')}: ${who}`}
              onClick={() => props.save({ appearOfflineTo: list.filter((a) => a !== who) })}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <AddressForm
        title={t('appearOfflineTitle')}
        label={t('appearOfflineAddress')}
        name="appearOffline"
        value={address}
        set={setAddress}
        submit={t('appearOfflineAdd')}
        onSubmit={() => {
          const added = listOf(address).filter((a) => !list.includes(a))
          props.save({ appearOfflineTo: [...list, ...added] })
          setAddress('')
        }}
      />
    </section>
  )
}

export const OutsideHours = (props: { settings: PrivacySettings; save: SaveSettings }) => (
  <section aria-labelledby="hours-title">
    <h2 id="hours-title">{t('outsideHoursTitle')}</h2>
    <p>{t('outsideHoursHelp')}</p>
    <label class="check">
      <input
        type="checkbox"
        name="shareOutsideWorkingHours"
        checked={props.settings.shareOutsideWorkingHours === true}
        onChange={(e) => props.save({ shareOutsideWorkingHours: e.currentTarget.checked })}
      />{' '}
      {t('shareOutsideHours')}
    </label>
  </section>
)

/** One priority access entry in words: who, then by which kinds. */
export const describePriority = (entry: Priority, groups: readonly Group[]): string => {
  const who = [
    ...(entry.addresses ?? []),
    ...(entry.groups ?? []).map((id) => t('ruleWhoGroups', { list: groupName(groups, id) })),
  ].join(', ')
  const by = entry.kinds.map((kind) => t(`kind_${kind}` as StringKey)).join(', ')
  return t('priorityEntry', { who, kinds: by })
}

interface PriorityDraft {
  addresses: string
  groups: readonly string[]
  kinds: readonly Kind[]
}
const emptyPriority: PriorityDraft = { addresses: '', groups: [], kinds: ['voice'] }

const KindBoxes = (props: { chosen: readonly Kind[]; onChange: (kinds: Kind[]) => void }) => (
  <fieldset>
    <legend>{t('priorityKinds')}</legend>
    {kinds.map((kind) => (
      <label class="check" key={kind}>
        <input
          type="checkbox"
          name="priorityKind"
          value={kind}
          checked={props.chosen.includes(kind)}
          onChange={(e) =>
            props.onChange(
              e.currentTarget.checked
                ? [...props.chosen, kind]
                : props.chosen.filter((k) => k !== kind),
            )
          }
        />{' '}
        {t(`kind_${kind}` as StringKey)}
      </label>
    ))}
  </fieldset>
)

const PriorityForm = (props: { groups: readonly Group[]; onAdd: (entry: Priority) => void }) => {
  const [draft, setDraft] = useState<PriorityDraft>(emptyPriority)
  const addresses = listOf(draft.addresses)
  const complete = (addresses.length > 0 || draft.groups.length > 0) && draft.kinds.length > 0
  return (
    <form
      aria-labelledby="priority-add"
      onSubmit={(event) => {
        event.preventDefault()
        if (!complete) return
        props.onAdd({
          ...(addresses.length ? { addresses } : {}),
          ...(draft.groups.length ? { groups: [...draft.groups] } : {}),
          kinds: [...draft.kinds],
        })
        setDraft(emptyPriority)
      }}
    >
      <h3 id="priority-add">{t('addPriority')}</h3>
      <TextField
        label={t('priorityPeople')}
        name="priorityAddresses"
        value={draft.addresses}
        set={(value) => setDraft({ ...draft, addresses: value })}
      />
      <GroupBoxes
        legend={t('priorityGroups')}
        name="priorityGroup"
        groups={props.groups}
        chosen={draft.groups}
        onChange={(groups) => setDraft({ ...draft, groups })}
      />
      <KindBoxes chosen={draft.kinds} onChange={(k) => setDraft({ ...draft, kinds: k })} />
      <button type="submit" disabled={!complete}>
        {t('addPriority')}
      </button>
    </form>
  )
}

export const PriorityAccess = (props: {
  settings: PrivacySettings
  groups: readonly Group[]
  save: SaveSettings
}) => {
  const entries = props.settings.priorityAccess ?? []
  return (
    <section aria-labelledby="priority-title">
      <h2 id="priority-title">{t('priorityTitle')}</h2>
      <p>{t('priorityHelp')}</p>
      {entries.length === 0 ? <p>{t('noPriority')}</p> : null}
      <ul class="rules" aria-label={t('priorityTitle')}>
        {entries.map((entry, index) => (
          <li key={index}>
            <span>{describePriority(entry, props.groups)}</span>{' '}
            <button
              type="button"
              aria-label={`${t('remove')}: ${describePriority(entry, props.groups)}`}
              onClick={() => props.save({ priorityAccess: entries.filter((e) => e !== entry) })}
            >
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <PriorityForm
        groups={props.groups}
        onAdd={(entry) => props.save({ priorityAccess: [...entries, entry] })}
      />
    </section>
  )
}
