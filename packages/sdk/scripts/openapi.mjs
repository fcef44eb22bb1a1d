// Regenerates the SDK's REST types: starts the built server (run `npm run build` at the root first)
// on a temporary data directory, writes the OpenAPI document it serves to openapi.json, and turns it
// into src/generated/openapi.ts with openapi-typescript. A test fails when openapi.json drifts.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const sdk = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(sdk, '..', '..')
const { startServer } = await import(join(root, 'dist/server/narvaro-server.js'))
const { loadConfig } = await import(join(root, 'dist/server/config.js'))
const { createLogger } = await import(join(root, 'dist/server/logger.js'))

const dataDir = mkdtempSync(join(tmpdir(), 'narvaro-openapi-'))
try {
  const config = loadConfig(
    { NARVARO_ADMIN_PASSWORD: 'openapi-dump-password', NARVARO_DOMAIN: 'acme.example' },
    { port: '0', 'data-dir': dataDir, 'log-level': 'silent' },
  )
  const server = await startServer({ config, logger: createLogger('silent') })
  try {
    const document = await (await fetch(`${server.url}/openapi.json`)).json()
    writeFileSync(join(sdk, 'openapi.json'), JSON.stringify(document, null, 2) + '\n')
  } finally {
    await server.close()
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
const cli = join(root, 'node_modules/openapi-typescript/bin/cli.js')
execFileSync(process.execPath, [cli, 'openapi.json', '-o', 'src/generated/openapi.ts'], {
  cwd: sdk,
  stdio: 'inherit',
})
