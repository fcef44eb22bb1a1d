// Sign in with an address and a password; web app.
import { useState } from 'preact/hooks'
import { Alert, useAction } from '../components.js'
import { TextField } from '../form-fields.js'
import { t } from '../i18n/index.js'
import { signIn } from '../session.js'

export const SignInScreen = () => {
  const [address, setAddress] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const { error, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    setBusy(true)
    void run(() => signIn(address.trim(), password)).finally(() => setBusy(false))
  }
  return (
    <section class="narrow">
      <h1>{t('signInTitle')}</h1>
      <form onSubmit={submit}>
        <TextField
          label={t('address')}
          name="address"
          type="email"
          autoComplete="username"
          required
          value={address}
          set={setAddress}
        />
        <TextField
          label={t('password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          set={setPassword}
        />
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
      <Alert error={error} />
    </section>
  )
}
