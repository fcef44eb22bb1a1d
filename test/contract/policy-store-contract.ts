// The contract of the PolicyStore port: one suite that every store adapter runs; contract tests.
// Policies and settings must round-trip exactly; groups hold users of their own organization only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultOrganizationPolicy } from '../../src/core/policy/policy-model.js'
import type { Organization, User } from '../../src/ports/store.js'
import { describeAuditContract } from './policy-store-audit-contract.js'
import { fullSettings, strictPolicy } from './policy-store-fixtures.js'
import type { FullStore } from './policy-store-fixtures.js'
import { describeGroupContract } from './policy-store-group-contract.js'
import { expectCode, newUser, t0 } from './presence-store-fixtures.js'

/** Runs the PolicyStore contract against stores made by `makeStore` (one fresh store per test). */
export const describePolicyStoreContract = (
  name: string,
  makeStore: () => Promise<FullStore>,
): void => {
  describe(`${name} (PolicyStore contract)`, () => {
    let store: FullStore
    let acme: Organization
    let beta: Organization
    let alice: User
    let bob: User
    let carol: User

    beforeEach(async () => {
      store = await makeStore()
      await store.migrate()
      acme = await store.createOrganization({ domain: 'acme.example', name: 'Acme', createdAt: t0 })
      beta = await store.createOrganization({ domain: 'beta.example', name: 'Beta', createdAt: t0 })
      alice = await store.createUser(newUser(acme, 'alice'))
      bob = await store.createUser(newUser(acme, 'bob'))
      carol = await store.createUser(newUser(beta, 'carol'))
    })

    afterEach(async () => {
      await store.close()
    })

    it('rejects with NRV_STORE_UNAVAILABLE once closed', async () => {
      await store.close()
      await expectCode(store.getOrganizationPolicy(acme.id), 'NRV_STORE_UNAVAILABLE')
      await expectCode(store.appendAudit([]), 'NRV_STORE_UNAVAILABLE')
    })

    describe('organization policies', () => {
      it('answers undefined for an organization that never set a policy', async () => {
        expect(await store.getOrganizationPolicy(acme.id)).toBeUndefined()
        expect(await store.getOrganizationPolicy('missing')).toBeUndefined()
      })

      it('reads a stored policy back exactly, and a second one replaces it', async () => {
        await store.putOrganizationPolicy(acme.id, defaultOrganizationPolicy)
        expect(await store.getOrganizationPolicy(acme.id)).toStrictEqual(defaultOrganizationPolicy)
        await store.putOrganizationPolicy(acme.id, strictPolicy)
        expect(await store.getOrganizationPolicy(acme.id)).toStrictEqual(strictPolicy)
      })

      it("keeps each organization's policy apart", async () => {
        await store.putOrganizationPolicy(acme.id, strictPolicy)
        expect(await store.getOrganizationPolicy(beta.id)).toBeUndefined()
        await store.putOrganizationPolicy(beta.id, defaultOrganizationPolicy)
        expect(await store.getOrganizationPolicy(acme.id)).toStrictEqual(strictPolicy)
      })

      it('rejects the policy of a missing organization with NRV_NOT_FOUND', async () => {
        await expectCode(store.putOrganizationPolicy('missing', strictPolicy), 'NRV_NOT_FOUND')
      })
    })

    describe('personal settings', () => {
      it('answers undefined for a user who never set any', async () => {
        expect(await store.getPersonalSettings(alice.id)).toBeUndefined()
        expect(await store.getPersonalSettings('missing')).toBeUndefined()
      })

      it('reads stored settings back exactly, empty ones included, and replaces them', async () => {
        await store.putPersonalSettings(alice.id, fullSettings)
        expect(await store.getPersonalSettings(alice.id)).toStrictEqual(fullSettings)
        await store.putPersonalSettings(alice.id, {})
        expect(await store.getPersonalSettings(alice.id)).toStrictEqual({})
        await store.putPersonalSettings(alice.id, { rules: [] })
        expect(await store.getPersonalSettings(alice.id)).toStrictEqual({ rules: [] })
      })

      it('rejects the settings of a missing user with NRV_NOT_FOUND', async () => {
        await expectCode(store.putPersonalSettings('missing', fullSettings), 'NRV_NOT_FOUND')
      })

      it('lists the settings of the users of one organization, by user id', async () => {
        const appearOffline = { appearOfflineTo: ['x@y.example'] }
        await store.putPersonalSettings(bob.id, appearOffline)
        await store.putPersonalSettings(alice.id, fullSettings)
        await store.putPersonalSettings(carol.id, { shareOutsideWorkingHours: false })
        const listed = await store.listPersonalSettings(acme.id)
        expect(listed).toBeInstanceOf(Map)
        expect([...listed]).toStrictEqual([
          [alice.id, fullSettings],
          [bob.id, appearOffline],
        ])
        expect([...(await store.listPersonalSettings(beta.id))]).toStrictEqual([
          [carol.id, { shareOutsideWorkingHours: false }],
        ])
        expect((await store.listPersonalSettings('missing')).size).toBe(0)
      })
    })

    describe('deleting a user', () => {
      it('removes their settings and group memberships, and keeps the others', async () => {
        await store.putPersonalSettings(alice.id, fullSettings)
        await store.putPersonalSettings(bob.id, {})
        const team = await store.createGroup({ organizationId: acme.id, name: 'T', createdAt: t0 })
        await store.setGroupMembers(team.id, [alice.id, bob.id])

        expect(await store.deleteUser(alice.id)).toBe(true)

        expect(await store.getPersonalSettings(alice.id)).toBeUndefined()
        expect([...(await store.listPersonalSettings(acme.id)).keys()]).toStrictEqual([bob.id])
        expect(await store.listGroupsOf(alice.id)).toStrictEqual([])
        expect(await store.listGroupMembers(team.id)).toStrictEqual([bob.id])
        expect(await store.listGroups(acme.id)).toStrictEqual([team])
      })
    })

    describeGroupContract(() => ({ store, acme, beta, alice, bob, carol }))
    describeAuditContract(() => ({ store, acme, beta, alice, bob, carol }))
  })
}
