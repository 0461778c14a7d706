import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import { TrunkFactory } from '#database/factories/trunk_factory'

type Role = 'owner' | 'admin' | 'user' | 'reporter'
const WRITERS: Role[] = ['owner', 'admin']

/* Every member reads trunks; only owners and PBX admins change them. */
test.group('Trunks RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'admin', 'user', 'reporter'] as Role[]) {
    const writes = WRITERS.includes(role)
    test(`${role} ${writes ? 'may' : 'may not'} change trunks and may read them`, async ({
      client,
      assert,
    }) => {
      const tenant: Tenant = await createTenant()
      const org = { organizationId: tenant.organization.id }
      const trunk = await TrunkFactory.merge(org).create()
      const deleted = await TrunkFactory.merge(org).create()
      const gone = await TrunkFactory.merge(org).create()
      await deleted.merge({ deletedAt: deleted.createdAt }).save()
      const token = await tokenFor(tenant[role])
      const expectWrite = (status: number, ok: number) => assert.equal(status, writes ? ok : 403)

      assert.equal((await client.get('/api/v1/trunks').bearerToken(token)).status(), 200)
      assert.equal(
        (await client.get(`/api/v1/trunks/${trunk.id}`).bearerToken(token)).status(),
        200,
      )
      const created = await client
        .post('/api/v1/trunks')
        .bearerToken(token)
        .json({
          name: `By ${role}`,
          kind: 'ip',
          allowedCidrs: ['192.0.2.0/24'],
        })
      expectWrite(created.status(), 201)
      const patched = await client
        .patch(`/api/v1/trunks/${trunk.id}`)
        .bearerToken(token)
        .json({ priority: 42 })
      expectWrite(patched.status(), 200)
      const put = await client
        .put(`/api/v1/trunks/${trunk.id}`)
        .bearerToken(token)
        .json({ enabled: false })
      expectWrite(put.status(), 200)
      const removed = await client.delete(`/api/v1/trunks/${gone.id}`).bearerToken(token)
      expectWrite(removed.status(), 204)
      const restored = await client.post(`/api/v1/trunks/${deleted.id}/restore`).bearerToken(token)
      expectWrite(restored.status(), 200)

      await trunk.refresh()
      assert.equal(trunk.priority, writes ? 42 : 10)
    })
  }
})
