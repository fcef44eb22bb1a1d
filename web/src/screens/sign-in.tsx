// Sign in with an address and a password; web app.
import { useState } from 'preact/hooks'
import { Alert, Field, useAction } from '../components.js'
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
        <Field label={t('address')}>
          {(id) => (
            <input
              id={id}
              name="address"
              type="email"
              autoComplete="username"
              required
              value={address}
              onInput={(e) => setAddress(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('password')}>
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
      <Alert error={error} />
    </section>
  )
}
