// What the admin's list sections share: the list loaded from the server with the message of the
// last action, its table (columns, then the row's buttons), and the section around both; web app.
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { Alert, useAction } from '../../components.js'
import { TitledForm } from '../../form-fields.js'
import { t } from '../../i18n/index.js'

/** The list a section shows, loaded when the section opens (and when a dependency changes). */
export const useAdminList = <T,>(fetch: () => Promise<readonly T[]>, deps: unknown[] = []) => {
  const [list, setList] = useState<readonly T[]>([])
  const action = useAction()
  const load = async () => setList(await fetch())
  useEffect(() => void action.run(load), deps)
  return { list, load, ...action }
}

/** A table of items, one a row, its last column the row's buttons; `empty` says there are none. */
export const AdminTable = <T,>(props: {
  columns: readonly string[]
  items: readonly T[]
  row: (item: T) => ComponentChildren
  empty?: string
  /** The hidden heading of the buttons' column. */
  actions?: string
}) =>
  props.empty !== undefined && props.items.length === 0 ? (
    <p>{props.empty}</p>
  ) : (
    <table>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
          <th scope="col">
            <span class="visually-hidden">{props.actions ?? t('adm_actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>{props.items.map(props.row)}</tbody>
    </table>
  )

/**
 * An admin section: heading and intro, its table, what goes before the last action's message (a
 * form, a secret shown once), the message, then the rest (the forms).
 */
export const AdminSection = (props: {
  name: string
  title: string
  intro?: string
  table: ComponentChildren
  beforeMessage?: ComponentChildren
  message: { error: unknown; info?: string }
  children?: ComponentChildren
}) => (
  <section aria-labelledby={`${props.name}-title`}>
    <h2 id={`${props.name}-title`}>{props.title}</h2>
    {props.intro === undefined ? null : <p>{props.intro}</p>}
    {props.table}
    {props.beforeMessage}
    <Alert error={props.message.error} info={props.message.info} />
    {props.children}
  </section>
)

/** A form that creates an item: its fields, a submit button, and the error if it failed. */
export const CreateForm = (props: {
  name: string
  title: string
  submit: string
  disabled?: boolean
  error: unknown
  onSubmit: () => void
  children: ComponentChildren
}) => (
  <TitledForm id={`${props.name}-title`} title={props.title} onSubmit={props.onSubmit}>
    {props.children}
    <button type="submit" disabled={props.disabled}>
      {props.submit}
    </button>
    <Alert error={props.error} />
  </TitledForm>
)
