// Administrative actions appear in the organization audit (kind `admin`), without secrets.
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { addUsers, api, domain } from '../support/server-harness.js'

const server = useServer()

interface AuditEntry {
  readonly kind: string
  readonly actorAddress: string
  readonly data: Record<string, unknown>
}

describe('admin audit', () => {
  it('group, integration and directory import changes are audited, dry runs are not', async () => {
    const h = await server.start()
    const { admin } = await addUsers(h.url, ['amy'])
    const amy = `amy@${domain}`
    const call = (method: string, path: string, body?: unknown) =>
      api(h.url, { method, path, token: admin, ...(body === undefined ? {} : { body }) })
    const group = await call('POST', '/v1/groups', { name: 'ops', members: [amy] })
    const groupId = group.body['id'] as string
    await call('PUT', `/v1/groups/${groupId}/members`, [])
    await call('DELETE', `/v1/groups/${groupId}`)
    const issued = await call('POST', '/v1/integrations', { name: 'pbx', kinds: ['phone'] })
    const integrationId = (issued.body['integration'] as { id: string }).id
    const rotated = await call('POST', `/v1/integrations/${integrationId}/rotate`)
    await call('DELETE', `/v1/integrations/${integrationId}`)
    const rows = [{ address: `cy@${domain}`, displayName: 'Cy', teams: ['support'] }]
    await call('POST', '/v1/directory/import?dryRun=true', rows)
    await call('POST', '/v1/directory/import', rows)

    const audit = await api<AuditEntry[]>(h.url, { path: '/v1/organization/audit', token: admin })
    const actions = audit.body.filter((e) => e.kind === 'admin')
    expect(actions.map((e) => e.data['action']).sort()).toEqual([
      'directory.imported',
      'group.created',
      'group.deleted',
      'group.members-set',
      'integration.created',
      'integration.revoked',
      'integration.rotated',
    ])
    expect(new Set(actions.map((e) => e.actorAddress))).toEqual(new Set([`admin@${domain}`]))
    const text = JSON.stringify(actions)
    for (const secret of [issued.body['token'], rotated.body['token']]) {
      expect(text).not.toContain(secret)
    }
  })
})
