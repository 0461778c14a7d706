import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import { makeSchedule } from '#tests/functional/business_hours/support'
import type { Role } from '#enums/roles'

const ROLE_USER: Record<Role, keyof Omit<Tenant, 'organization'>> = {
  owner: 'owner',
  pbx_admin: 'admin',
  pbx_user: 'user',
  reporter: 'reporter',
}

/* Every member reads schedules and their status; only owners and PBX admins change them. */
test.group('Business hours RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'pbx_admin', 'pbx_user', 'reporter'] as Role[]) {
    const manages = role === 'owner' || role === 'pbx_admin'

    test(`${role}: reads, and ${manages ? 'may' : 'may not'} create, update, duplicate, delete, restore`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const token = await tokenFor(tenant[ROLE_USER[role]])
      const schedule = await makeSchedule(tenant.organization, { name: 'Office' })
      const deleted = await makeSchedule(tenant.organization, { deletedAt: schedule.createdAt })
      const base = '/api/v1/business-hours'

      ;(await client.get(base).bearerToken(token)).assertStatus(200)
      ;(await client.get(`${base}/${schedule.id}`).bearerToken(token)).assertStatus(200)
      ;(await client.get(`${base}/${schedule.id}/status`).bearerToken(token)).assertStatus(200)
      const responses = [
        await client
          .post(base)
          .bearerToken(token)
          .json({ name: `By ${role}` }),
        await client.patch(`${base}/${schedule.id}`).bearerToken(token).json({ name: 'Changed' }),
        await client.put(`${base}/${schedule.id}`).bearerToken(token).json({ rules: [] }),
        await client.post(`${base}/${schedule.id}/duplicate`).bearerToken(token),
        await client.delete(`${base}/${schedule.id}`).bearerToken(token),
        await client.post(`${base}/${deleted.id}/restore`).bearerToken(token),
      ]
      assert.deepEqual(
        responses.map((r) => r.status()),
        manages ? [201, 200, 200, 201, 204, 200] : [403, 403, 403, 403, 403, 403],
      )
      if (!manages) {
        for (const r of responses) assert.equal(r.body().error.code, 'E_FORBIDDEN')
        const rows = await db
          .from('business_hours_schedules')
          .where('organization_id', tenant.organization.id)
          .orderBy('id')
        assert.deepEqual(
          rows.map((r) => [r.name, r.deleted_at === null]),
          [
            ['Office', true],
            [deleted.name, false],
          ],
        )
        const rules = await db.from('business_hours_rules').where('schedule_id', schedule.id)
        assert.lengthOf(rules, 5)
      }
    })
  }

  test('a read-only API token cannot write even as owner', async ({ client }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner, ['read'])
    ;(
      await client.post('/api/v1/business-hours').bearerToken(token).json({ name: 'X' })
    ).assertStatus(403)
  })
})
