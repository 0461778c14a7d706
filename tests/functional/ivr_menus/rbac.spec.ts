import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import { makeMenu, ttsPrompt } from '#tests/functional/ivr_menus/helpers'
import type { Role } from '#enums/roles'

const ROLE_USER: Record<Role, keyof Omit<Tenant, 'organization'>> = {
  owner: 'owner',
  pbx_admin: 'admin',
  pbx_user: 'user',
  reporter: 'reporter',
}

/* OPBX checked no role at all here; now every member reads, owners and PBX admins write. */
test.group('IVR menus RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'pbx_admin', 'pbx_user', 'reporter'] as Role[]) {
    const manages = role === 'owner' || role === 'pbx_admin'

    test(`${role}: reads, and ${manages ? 'may' : 'may not'} create, update, delete, restore`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const token = await tokenFor(tenant[ROLE_USER[role]])
      const menu = await makeMenu(tenant.organization, { name: 'Main' })
      const deleted = await makeMenu(tenant.organization, { deletedAt: menu.createdAt })

      ;(await client.get('/api/v1/ivr-menus').bearerToken(token)).assertStatus(200)
      ;(await client.get(`/api/v1/ivr-menus/${menu.id}`).bearerToken(token)).assertStatus(200)
      const responses = [
        await client
          .post('/api/v1/ivr-menus')
          .bearerToken(token)
          .json({ name: `By ${role}`, prompt: ttsPrompt }),
        await client.patch(`/api/v1/ivr-menus/${menu.id}`).bearerToken(token).json({ name: 'New' }),
        await client.delete(`/api/v1/ivr-menus/${menu.id}`).bearerToken(token),
        await client.post(`/api/v1/ivr-menus/${deleted.id}/restore`).bearerToken(token),
      ]
      assert.deepEqual(
        responses.map((r) => r.status()),
        manages ? [201, 200, 204, 200] : [403, 403, 403, 403],
      )
      if (!manages) {
        for (const r of responses) assert.equal(r.body().error.code, 'E_FORBIDDEN')
        const row = await db.from('ivr_menus').where('id', menu.id).firstOrFail()
        assert.equal(row.name, 'Main')
        assert.isNull(row.deleted_at)
        const count = await db
          .from('ivr_menus')
          .where('organization_id', tenant.organization.id)
          .count('* as n')
        assert.equal(Number(count[0].n), 2)
      }
    })
  }

  test('a read-only API token cannot write even as owner', async ({ client }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner, ['read'])
    ;(
      await client
        .post('/api/v1/ivr-menus')
        .bearerToken(token)
        .json({ name: 'X', prompt: ttsPrompt })
    ).assertStatus(403)
  })
})
