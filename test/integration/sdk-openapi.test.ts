// Integration: the SDK's committed OpenAPI document is the one the server serves, and its generated
// types are what openapi-typescript makes of it, so the typed REST client cannot drift from the API.
// On a failure: `npm run build && npm run openapi -w @narvaro/sdk`, and commit what changed.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { api } from '../support/server-harness.js'

const sdk = new URL('../../packages/sdk/', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, sdk), 'utf8')

describe('the SDK and the served OpenAPI document', () => {
  const server = useServer()

  it('commits the very document the server serves', async () => {
    const { url } = await server.start()
    const served = await api(url, { path: '/openapi.json' })
    expect(JSON.parse(read('openapi.json'))).toEqual(served.body)
  })

  it('commits the types openapi-typescript generates from it', () => {
    const cli = new URL('../../node_modules/openapi-typescript/bin/cli.js', import.meta.url)
    const generated = execFileSync(process.execPath, [cli.pathname, 'openapi.json'], {
      cwd: sdk.pathname,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    expect(generated.trim()).toBe(read('src/generated/openapi.ts').trim())
  })
})
