// `npm start`: runs `narvaro serve` (with the arguments given) under the Node flags the server is
// meant to run with (dist/server/heap-flags.js; docs/deploy.md, "Node flags"). They are chosen here
// rather than written in package.json because one of them is spelled differently by Node 20's V8
// and by later ones, and Node refuses an option its V8 lacks.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { heapFlags } from '../dist/server/heap-flags.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const server = spawn(
  process.execPath,
  [...heapFlags, join(root, 'bin', 'narvaro.js'), 'serve', ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
// Ctrl-C reaches the server from the terminal itself; a SIGTERM sent to this process is passed on.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => server.kill('SIGTERM'))
server.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)))
