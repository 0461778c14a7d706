import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'

type Role = 'owner' | 'admin' | 'user' | 'reporter'

/* Every member reads routes and may dry-run them; only owners and PBX admins change them. */
test.group('Outbound routes RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'admin', 'user', 'reporter'] as Role[]) {
    const writes = role === 'owner' || role === 'admin'
    test(`${role} ${writes ? 'may' : 'may not'} change routes and may read and resolve`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const org = { organizationId: tenant.organization.id }
      const trunk = await TrunkFactory.merge(org).create()
      const [route, gone, deleted] = await OutboundRouteFactory.merge(org).createMany(3)
      for (const r of [route, gone, deleted]) await attachTrunks(r, [trunk])
      await deleted.merge({ deletedAt: deleted.createdAt }).save()
      const token = await tokenFor(tenant[role])
      const expectWrite = (status: number, ok: number) => assert.equal(status, writes ? ok : 403)

      assert.equal((await client.get('/api/v1/outbound-routes').bearerToken(token)).status(), 200)
      assert.equal(
        (await client.get(`/api/v1/outbound-routes/${route.id}`).bearerToken(token)).status(),
        200,
      )
      const resolved = await client
        .post('/api/v1/outbound-routes/resolve')
        .bearerToken(token)
        .json({ number: '+442079460000' })
      assert.equal(resolved.status(), 200)
      const created = await client
        .post('/api/v1/outbound-routes')
        .bearerToken(token)
        .json({ name: `By ${role}`, trunkIds: [trunk.id] })
      expectWrite(created.status(), 201)
      const patched = await client
        .patch(`/api/v1/outbound-routes/${route.id}`)
        .bearerToken(token)
        .json({ priority: 42 })
      expectWrite(patched.status(), 200)
      const put = await client
        .put(`/api/v1/outbound-routes/${route.id}`)
        .bearerToken(token)
        .json({ enabled: false })
      expectWrite(put.status(), 200)
      expectWrite(
        (await client.delete(`/api/v1/outbound-routes/${gone.id}`).bearerToken(token)).status(),
        204,
      )
      expectWrite(
        (
          await client.post(`/api/v1/outbound-routes/${deleted.id}/restore`).bearerToken(token)
        ).status(),
        200,
      )
      await route.refresh()
      assert.equal(route.priority, writes ? 42 : 10)
    })
  }
})
