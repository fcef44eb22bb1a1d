// Entry of the web app: resumes this tab's session, then renders; web app.
import { render } from 'preact'
import { App } from './app.js'
import { language } from './i18n/index.js'
import { resume } from './session.js'
import './styles.css'

document.documentElement.lang = language.value
const root = document.getElementById('app')
if (root) void resume().finally(() => render(<App />, root))
