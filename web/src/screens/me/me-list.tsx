// What the lists of Me share (contact methods, schedule, calendars): the list loaded from the
// server, changes to it that say whether the server took them, and the section that shows it; web
// app.
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { Alert, useAction } from '../../components.js'
import { t } from '../../i18n/index.js'

/** My list of `fetch`; `change` runs an action, reloads, tells the screen, and says if it was done. */
export const useMine = <T,>(fetch: () => Promise<readonly T[] | undefined>, onDone: () => void) => {
  const [items, setItems] = useState<readonly T[]>([])
  const { error, info, run } = useAction()
  const reload = async () => setItems((await fetch()) ?? [])
  useEffect(() => void run(reload), [])
  /** `reload: false` when the action itself sets the items (the reply of a replace). */
  const change = async (
    action: () => Promise<string | void>,
    options = { reload: true },
  ): Promise<boolean> => {
    let done = false
    await run(async () => {
      const text = await action()
      if (options.reload) await reload()
      done = true
      onDone()
      return text ?? t('saved')
    })
    return done
  }
  // The add form is remounted (empty) after each item it added.
  const [added, setAdded] = useState(0)
  const add = async (action: () => Promise<string | void>, options?: { reload: boolean }) => {
    const done = await change(action, options)
    if (done) setAdded((count) => count + 1)
    return done
  }
  return { items, setItems, change, add, addFormKey: added, error, info }
}

/** A list of Me: heading, hint, the items (or that there are none), the last message, the forms. */
export const MeList = (props: {
  name: string
  title: string
  hint: string
  none: string
  empty: boolean
  items: ComponentChildren
  message: { error: unknown; info?: string }
  children: ComponentChildren
}) => (
  <section aria-labelledby={`${props.name}-title`} class="me-section">
    <h2 id={`${props.name}-title`}>{props.title}</h2>
    <p class="hint">{props.hint}</p>
    {props.empty ? <p>{props.none}</p> : null}
    <ul class="items" aria-labelledby={`${props.name}-title`}>
      {props.items}
    </ul>
    <Alert error={props.message.error} info={props.message.info} />
    {props.children}
  </section>
)
