// Change my password; after a sign-in with a one-time password this screen comes first, since the
// server refuses that token everywhere else (NRV_PASSWORD_CHANGE_REQUIRED). Web app.
import { useState } from 'preact/hooks'
import { Alert, useAction } from '../components.js'
import { Check, TextField } from '../form-fields.js'
import { t } from '../i18n/index.js'
import { client, passwordChanged, user } from '../session.js'

const passwordField = (
  label: string,
  name: string,
  [value, set]: [string, (value: string) => void],
  autoComplete: 'current-password' | 'new-password',
) => (
  <TextField
    label={label}
    name={name}
    type="password"
    required
    autoComplete={autoComplete}
    value={value}
    set={set}
  />
)

export const PasswordScreen = () => {
  const current = useState('')
  const next = useState('')
  const repeat = useState('')
  const [revokeOthers, setRevokeOthers] = useState(false)
  const { error, info, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    void run(async () => {
      if (next[0] !== repeat[0]) throw new Error(t('passwordsDiffer'))
      await client.changePassword({
        currentPassword: current[0],
        newPassword: next[0],
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
        {passwordField(t('currentPassword'), 'current', current, 'current-password')}
        {passwordField(t('newPassword'), 'new', next, 'new-password')}
        {passwordField(t('repeatPassword'), 'repeat', repeat, 'new-password')}
        <Check label={t('revokeOtherTokens')} checked={revokeOthers} set={setRevokeOthers} />
        <button type="submit">{t('changePassword')}</button>
      </form>
      <Alert error={error} info={info} />
    </section>
  )
}
