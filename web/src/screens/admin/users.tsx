// The admin's users section: add, reset a password, remove, and the CSV import with its dry run's
// report. Web app; the server checks that the caller is an admin.
import { useState } from 'preact/hooks'
import type { ReplyOf } from '@narvaro/sdk'
import { Alert, Field, ItemButton, useAction } from '../../components.js'
import { TextField } from '../../form-fields.js'
import { t } from '../../i18n/index.js'
import { client } from '../../session.js'
import { AdminSection, AdminTable, useAdminList } from './admin-list.js'

type ImportReport = ReplyOf<'/v1/directory/import', 'post'>

const Users = (props: { version: number }) => {
  const [address, setAddress] = useState('')
  const [displayName, setDisplayName] = useState('')
  const { list, load, error, info, run } = useAdminList(() => client.users(), [props.version])
  const add = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      const reply = await client.addUser({ address: address.trim(), displayName })
      await load()
      const password = (reply as { password?: string }).password
      return password ? t('oneTimePassword', { address: address.trim(), password }) : t('saved')
    })
  }
  const reset = (who: string) =>
    void run(async () => {
      const reply = await client.resetPassword(who, {})
      return t('oneTimePassword', { address: who, password: reply.password ?? '' })
    })
  const remove = (who: string) =>
    void run(async () => {
      await client.removeUser(who)
      await load()
    })
  const table = (
    <AdminTable
      columns={[t('address'), t('displayName'), t('role')]}
      actions={t('remove')}
      items={list}
      row={(u) => (
        <tr key={u.address}>
          <td>{u.address}</td>
          <td>{u.displayName}</td>
          <td>{u.role}</td>
          <td>
            <ItemButton
              label={t('resetPassword')}
              item={u.address}
              onClick={() => reset(u.address)}
            />{' '}
            <ItemButton label={t('remove')} item={u.address} onClick={() => remove(u.address)} />
          </td>
        </tr>
      )}
    />
  )
  const form = (
    <form class="inline" onSubmit={add} aria-label={t('addUser')}>
      <TextField
        label={t('address')}
        name="newAddress"
        type="email"
        required
        value={address}
        set={setAddress}
      />
      <TextField
        label={t('displayName')}
        name="newName"
        required
        value={displayName}
        set={setDisplayName}
      />
      <button type="submit">{t('addUser')}</button>
    </form>
  )
  return (
    <AdminSection
      name="users"
      title={t('usersTitle')}
      table={table}
      beforeMessage={form}
      message={{ error, info }}
    />
  )
}

const Report = (props: { report: ImportReport }) => {
  const { report } = props
  return (
    <div class="report" role="status" data-report={report.dryRun ? 'dry-run' : 'written'}>
      <p>
        {t('importReport', {
          rows: report.rows,
          valid: report.valid,
          created: report.created,
          updated: report.updated,
        })}
      </p>
      {report.dryRun ? <p>{t('importDry')}</p> : null}
      {report.problems.length > 0 ? (
        <table>
          <caption>{t('problems')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('row')}</th>
              <th scope="col">{t('field')}</th>
              <th scope="col">{t('message')}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((p, index) => (
              <tr key={index}>
                <td>{p.row}</td>
                <td>{p.field ?? ''}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}

const CsvImport = (props: { onImported: () => void }) => {
  const [csv, setCsv] = useState('')
  const [report, setReport] = useState<ImportReport | undefined>(undefined)
  const { error, run } = useAction()
  const submit = (dryRun: boolean) =>
    void run(async () => {
      setReport(await client.importCsv(csv, { dryRun }))
      if (!dryRun) props.onImported()
    })
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('importTitle')}</h2>
      <Field label={t('csvFile')}>
        {(id) => (
          <input
            id={id}
            name="csvFile"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void e.currentTarget.files?.[0]?.text().then(setCsv)}
          />
        )}
      </Field>
      <Field label={t('csvText')}>
        {(id) => (
          <textarea
            id={id}
            name="csv"
            rows={6}
            value={csv}
            onInput={(e) => setCsv(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="buttons">
        <button type="button" onClick={() => submit(true)}>
          {t('dryRun')}
        </button>
        <button type="button" onClick={() => submit(false)}>
          {t('importNow')}
        </button>
      </div>
      {report ? <Report report={report} /> : null}
      <Alert error={error} />
    </section>
  )
}

/** Users and their import: an import bumps the list so it shows the people it created. */
export const UsersSection = () => {
  const [version, setVersion] = useState(0)
  return (
    <>
      <Users version={version} />
      <CsvImport onImported={() => setVersion((v) => v + 1)} />
    </>
  )
}
