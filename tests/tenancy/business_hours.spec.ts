import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'
import { makeSchedule } from '#tests/functional/business_hours/support'
import { makeExtension } from '#tests/functional/extensions/support'

test.group('Tenancy: business hours endpoints', (group) => {
  isolate(group)

  test("every business-hours endpoint answers 404 for another organization's schedule", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const live = await makeSchedule(b.organization, { name: 'B secret hours' })
    const trashed = await makeSchedule(b.organization, { deletedAt: live.createdAt })
    const base = '/api/v1/business-hours'

    const requests = [
      client.get(`${base}/${live.id}`),
      client.get(`${base}/${live.id}/status`),
      client.patch(`${base}/${live.id}`).json({ name: 'Hijacked' }),
      client.put(`${base}/${live.id}`).json({ rules: [] }),
      client.post(`${base}/${live.id}/duplicate`),
      client.delete(`${base}/${live.id}`),
      client.post(`${base}/${trashed.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B secret hours'])
    const rows = await db
      .from('business_hours_schedules')
      .where('organization_id', b.organization.id)
      .orderBy('id')
    assert.deepEqual(
      rows.map((r) => [r.name, r.deleted_at === null]),
      [
        ['B secret hours', true],
        [trashed.name, false],
      ],
    )
    assert.lengthOf(await db.from('business_hours_rules').where('schedule_id', live.id), 5)
    const copies = await db
      .from('business_hours_schedules')
      .where('organization_id', a.organization.id)
    assert.lengthOf(copies, 0)
  })

  test("lists never include another organization's schedules", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await makeSchedule(a.organization)
    await makeSchedule(b.organization, { name: 'Foreign hours' })
    await makeSchedule(b.organization, { name: 'Foreign trashed', deletedAt: mine.createdAt })
    const token = await tokenFor(a.reporter)

    for (const qs of [{}, { trashed: 'with' }, { trashed: 'only' }, { search: 'Foreign' }]) {
      const response = await client.get('/api/v1/business-hours').qs(qs).bearerToken(token)
      response.assertStatus(200)
      assert.notInclude(response.text(), 'Foreign')
    }
    const all = await client.get('/api/v1/business-hours').bearerToken(token)
    assert.deepEqual(
      all.body().data.map((s: { id: number }) => s.id),
      [mine.id],
    )
  })

  test("a schedule cannot route to another organization's extension", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreign = await makeExtension(b.organization)
    const response = await client
      .post('/api/v1/business-hours')
      .bearerToken(await tokenFor(a.owner))
      .json({ name: 'Sneaky', openTarget: { type: 'extension', id: foreign.id } })
    response.assertStatus(422)
    assert.equal(response.body().error.details.fields[0].field, 'openTarget.id')
  })
})
