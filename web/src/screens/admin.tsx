// The admin page's entry: its sections live in web/src/screens/admin/; web app.
export { AdminScreen } from './admin/admin-screen.js'
