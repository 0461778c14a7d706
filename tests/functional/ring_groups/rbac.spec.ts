import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup } from '#tests/functional/ring_groups/support'

type Role = 'owner' | 'admin' | 'user' | 'reporter'

/* Every member reads ring groups; only owners and PBX admins change them. */
test.group('Ring groups RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'admin', 'user', 'reporter'] as Role[]) {
    const writes = role === 'owner' || role === 'admin'
    test(`${role} ${writes ? 'may' : 'may not'} change ring groups and may read them`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const member = await makeExtension(tenant.organization)
      const ringGroup = await makeRingGroup(tenant.organization, [member], { name: 'Sales' })
      const gone = await makeRingGroup(tenant.organization, [member])
      const binned = await makeRingGroup(tenant.organization, [member])
      await binned.merge({ deletedAt: binned.createdAt }).save()
      const token = await tokenFor(tenant[role])
      const expectWrite = (status: number, ok: number) => assert.equal(status, writes ? ok : 403)
      const members = [{ extensionId: member.id, priority: 1 }]

      assert.equal((await client.get('/api/v1/ring-groups').bearerToken(token)).status(), 200)
      assert.equal(
        (await client.get(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)).status(),
        200,
      )
      const created = await client
        .post('/api/v1/ring-groups')
        .bearerToken(token)
        .json({ name: `By ${role}`, members })
      expectWrite(created.status(), 201)
      const patched = await client
        .patch(`/api/v1/ring-groups/${ringGroup.id}`)
        .bearerToken(token)
        .json({ timeout: 42 })
      expectWrite(patched.status(), 200)
      const put = await client
        .put(`/api/v1/ring-groups/${ringGroup.id}`)
        .bearerToken(token)
        .json({ ringTurns: 3 })
      expectWrite(put.status(), 200)
      expectWrite(
        (await client.delete(`/api/v1/ring-groups/${gone.id}`).bearerToken(token)).status(),
        204,
      )
      expectWrite(
        (await client.post(`/api/v1/ring-groups/${binned.id}/restore`).bearerToken(token)).status(),
        200,
      )
      await ringGroup.refresh()
      await gone.refresh()
      assert.equal(ringGroup.timeout, writes ? 42 : 30)
      assert.equal(gone.deletedAt === null, !writes)
    })
  }
})
