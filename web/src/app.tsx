// The app's shell: header with navigation, language switch and connection state, then the page;
// sign-in and the forced password change come first. Web app.
import { language, setLanguage, t, type Language } from './i18n/index.js'
import { navigate, page, type Page } from './router.js'
import { connection, signOut, user } from './session.js'
import { AdminScreen } from './screens/admin.js'
import { BoardScreen } from './screens/board.js'
import { MeScreen } from './screens/me/me-screen.js'
import { PasswordScreen } from './screens/password.js'
import { PrivacyScreen } from './screens/privacy.js'
import { ReachScreen } from './screens/reach.js'
import { SignInScreen } from './screens/sign-in.js'
import { WorkflowsScreen } from './screens/workflows.js'
import type { StringKey } from './i18n/en.js'

const LanguageSwitch = () => (
  <label class="language">
    {t('language')}{' '}
    <select
      value={language.value}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
    >
      <option value="en">English</option>
      <option value="sv">Svenska</option>
    </select>
  </label>
)

const ConnectionBanner = () => {
  const state = connection.value
  return (
    <p class={`connection state-${state}`} role="status" data-state={state}>
      {t(`connection_${state}` as StringKey)}
    </p>
  )
}

const navItems: readonly [Page, StringKey][] = [
  ['board', 'navBoard'],
  ['me', 'navMe'],
  ['reach', 'navReach'],
  ['privacy', 'navPrivacy'],
  ['workflows', 'navWorkflows'],
  ['password', 'navPassword'],
]

const Nav = () => {
  const items =
    user.value?.role === 'admin' ? [...navItems, ['admin', 'navAdmin'] as const] : navItems
  return (
    <nav aria-label={t('navMain')}>
      <ul>
        {items.map(([name, label]) => (
          <li key={name}>
            <a
              href={`/${name}`}
              aria-current={page.value === name ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault()
                navigate(name)
              }}
            >
              {t(label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

const screens: Record<Page, () => preact.JSX.Element> = {
  board: BoardScreen,
  me: MeScreen,
  reach: ReachScreen,
  privacy: PrivacyScreen,
  workflows: WorkflowsScreen,
  admin: AdminScreen,
  password: PasswordScreen,
}

const Page = () => {
  const current = user.value
  if (!current) return <SignInScreen />
  if (current.mustChangePassword) return <PasswordScreen />
  const Screen = screens[page.value]
  return <Screen />
}

export const App = () => {
  const current = user.value
  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header>
        <span class="brand">{t('appName')}</span>
        {current && !current.mustChangePassword ? <Nav /> : null}
        <div class="tools">
          <LanguageSwitch />
          {current ? (
            <button type="button" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          ) : null}
        </div>
      </header>
      {current && !current.mustChangePassword ? <ConnectionBanner /> : null}
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
    </>
  )
}
