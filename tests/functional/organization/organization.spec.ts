import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

test.group('Organization settings API', (group) => {
  isolate(group)

  test('every member reads it; only the owner changes it, audited', async ({ client, assert }) => {
    const t = await createTenant()
    for (const actor of [t.admin, t.user, t.reporter]) {
      const token = await tokenFor(actor)
      ;(await client.get('/api/v1/organization').bearerToken(token)).assertStatus(200)
      ;(
        await client.put('/api/v1/organization').bearerToken(token).json({ name: 'Taken over' })
      ).assertStatus(403)
    }
    const response = await client
      .put('/api/v1/organization')
      .bearerToken(await tokenFor(t.owner))
      .json({ name: 'Renamed Org', timezone: 'Europe/Paris' })
    response.assertStatus(200)
    assert.equal(response.body().data.timezone, 'Europe/Paris')
    const audit = await AuditLog.query()
      .where('action', 'organization.updated')
      .where('organization_id', t.organization.id)
      .firstOrFail()
    assert.equal(audit.after?.name, 'Renamed Org')
  })

  test('rejects an unknown timezone with a field error', async ({ client, assert }) => {
    const t = await createTenant()
    const response = await client
      .put('/api/v1/organization')
      .bearerToken(await tokenFor(t.owner))
      .json({ timezone: 'Mars/Olympus' })
    response.assertStatus(422)
    assert.equal(response.body().error.details.fields[0].field, 'timezone')
  })
})
