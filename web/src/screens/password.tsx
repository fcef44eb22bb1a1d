// Change my password; after a sign-in with a one-time password this screen comes first, since the
// server refuses that token everywhere else (NRV_PASSWORD_CHANGE_REQUIRED). Web app.
import { useState } from 'preact/hooks'
import { Alert, useAction } from '../components.js'
import { Check, TextField } from '../form-fields.js'
import { t } from '../i18n/index.js'
import { client, passwordChanged, user } from '../session.js'

const PasswordInput = (props: {
  label: string
  name: string
  value: string
  set: (value: string) => void
  autoComplete: string
}) => <TextField {...props} type="password" required />

export const PasswordScreen = () => {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [revokeOthers, setRevokeOthers] = useState(false)
  const { error, info, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      if (next !== repeat) throw new Error(t('passwordsDiffer'))
      await client.changePassword({
        currentPassword: current,
        newPassword: next,
        revokeOtherTokens: revokeOthers,
      })
      await passwordChanged()
      return t('passwordChanged')
    })
  }
  return (
    <section class="narrow">
      <h1>{t('changePasswordTitle')}</h1>
      {user.value?.mustChangePassword ? <p class="alert info">{t('mustChangePassword')}</p> : null}
      <form onSubmit={submit}>
        <PasswordInput
          label={t('currentPassword')}
          name="current"
          value={current}
          set={setCurrent}
          autoComplete="current-password"
        />
        <PasswordInput
          label={t('newPassword')}
          name="new"
          value={next}
          set={setNext}
          autoComplete="new-password"
        />
        <PasswordInput
          label={t('repeatPassword')}
          name="repeat"
          value={repeat}
          set={setRepeat}
          autoComplete="new-password"
        />
        <Check label={t('revokeOtherTokens')} checked={revokeOthers} set={setRevokeOthers} />
        <button type="submit">{t('changePassword')}</button>
      </form>
      <Alert error={error} info={info} />
    </section>
  )
}
