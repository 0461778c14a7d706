import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'
import type { Role } from '#enums/roles'

const ROLE_USER: Record<Role, keyof Omit<Tenant, 'organization'>> = {
  owner: 'owner',
  pbx_admin: 'admin',
  pbx_user: 'user',
  reporter: 'reporter',
}

/* Every member reads rooms; only owners and PBX admins change them. */
test.group('Conference rooms RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'pbx_admin', 'pbx_user', 'reporter'] as Role[]) {
    const manages = role === 'owner' || role === 'pbx_admin'

    test(`${role}: reads, and ${manages ? 'may' : 'may not'} create, update, delete, restore`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const token = await tokenFor(tenant[ROLE_USER[role]])
      const room = await makeRoom(tenant.organization)
      const deleted = await makeRoom(tenant.organization, { deletedAt: room.createdAt })
      const write = manages ? [201, 200, 204, 200] : [403, 403, 403, 403]

      ;(await client.get('/api/v1/conference-rooms').bearerToken(token)).assertStatus(200)
      ;(await client.get(`/api/v1/conference-rooms/${room.id}`).bearerToken(token)).assertStatus(
        200,
      )
      const responses = [
        await client
          .post('/api/v1/conference-rooms')
          .bearerToken(token)
          .json({ number: '999', name: `By ${role}` }),
        await client
          .patch(`/api/v1/conference-rooms/${room.id}`)
          .bearerToken(token)
          .json({ name: 'Changed' }),
        await client.delete(`/api/v1/conference-rooms/${room.id}`).bearerToken(token),
        await client.post(`/api/v1/conference-rooms/${deleted.id}/restore`).bearerToken(token),
      ]
      assert.deepEqual(
        responses.map((r) => r.status()),
        write,
      )
      if (!manages) {
        for (const r of responses) assert.equal(r.body().error.code, 'E_FORBIDDEN')
        await room.refresh()
        assert.equal(room.name.startsWith('Room'), true)
        assert.isNull(room.deletedAt)
      }
    })
  }

  test('a read-only API token cannot write even as owner', async ({ client }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner, ['read'])
    ;(
      await client
        .post('/api/v1/conference-rooms')
        .bearerToken(token)
        .json({ number: '999', name: 'X' })
    ).assertStatus(403)
  })
})
