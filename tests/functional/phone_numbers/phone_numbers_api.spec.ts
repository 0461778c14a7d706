import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makePhoneNumber, makeTrunk } from '#tests/functional/phone_numbers/support'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

const fields = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

test.group('Phone numbers API: create, show, update', (group) => {
  isolate(group)

  test('an admin adds a number routed to an extension; it is normalised and audited', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '201', name: 'Reception' })
    const trunk = await makeTrunk(organization)
    const response = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(await tokenFor(admin))
      .json({
        number: '+49 (30) 123-456-78',
        friendlyName: 'Main line',
        trunkId: trunk,
        routing: { type: 'extension', id: extension.id },
      })
    response.assertStatus(201)
    const data = response.body().data
    assert.equal(data.number, '+493012345678')
    assert.equal(data.status, 'active')
    assert.equal(data.trunkId, trunk)
    assert.deepEqual(data.routing, { type: 'extension', id: extension.id, name: '201 Reception' })
    const raw = await db.from('phone_numbers').where('id', data.id).firstOrFail()
    assert.equal(raw.routing_type, 'extension')
    assert.equal(raw.routing_target_id, extension.id)
    const audit = await db
      .from('audit_logs')
      .where({ action: 'phone_number.created', subject_id: String(data.id) })
      .firstOrFail()
    assert.equal(audit.actor_user_id, admin.id)
    assert.equal(audit.organization_id, organization.id)
  })

  test('show embeds the routing target; hangup has no target', async ({ client, assert }) => {
    const { reporter, organization } = await createTenant()
    const row = await makePhoneNumber(organization, { friendlyName: 'Night' })
    const response = await client
      .get(`/api/v1/phone-numbers/${row.id}`)
      .bearerToken(await tokenFor(reporter))
    response.assertStatus(200)
    assert.deepEqual(response.body().data.routing, { type: 'hangup', id: null, name: null })
    assert.equal(response.body().data.friendlyName, 'Night')
  })

  test('malformed numbers and missing routing answer 422 per field', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    for (const number of ['4930123456', '+0301234567', '+1234567', '+1234567890123456', '+49abc']) {
      const response = await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number, routing: { type: 'hangup' } })
      response.assertStatus(422)
      assert.deepEqual(fields(response.body()), ['number'], number)
    }
    const missing = await client.post('/api/v1/phone-numbers').bearerToken(token).json({})
    missing.assertStatus(422)
    assert.includeMembers(fields(missing.body()), ['number', 'routing'])
    const badType = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(token)
      .json({ number: '+4930111222', routing: { type: 'fax' }, status: 'paused' })
    assert.includeMembers(fields(badType.body()), ['routing.type', 'status'])
    const noId = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(token)
      .json({ number: '+4930111222', routing: { type: 'extension' } })
    assert.deepEqual(fields(noId.body()), ['routing.id'])
  })

  test('a number taken by another organization is 422 without naming it', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    await makePhoneNumber(b.organization, { number: '+4930999888', friendlyName: 'B secret' })
    const response = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(await tokenFor(a.owner))
      .json({ number: '+49 30 999 888', routing: { type: 'hangup' } })
    response.assertStatus(422)
    assert.notInclude(response.text(), 'B secret')
    /* Byte for byte what a number held by the caller's own organization answers. */
    await makePhoneNumber(a.organization, { number: '+4930999777' })
    const own = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(await tokenFor(a.owner))
      .json({ number: '+4930999777', routing: { type: 'hangup' } })
    const comparable = (error: Record<string, unknown>) => [
      error.code,
      error.message,
      error.details,
    ]
    assert.deepEqual(comparable(response.body().error), comparable(own.body().error))
    assert.deepEqual(response.body().error.details.fields, [
      { field: 'number', message: 'This phone number is already in use', rule: 'phoneNumberTaken' },
    ])
  })

  test('a deleted number can be added again', async ({ client }) => {
    const { owner, organization } = await createTenant()
    const old = await makePhoneNumber(organization, { number: '+4930555000' })
    await old.merge({ deletedAt: old.createdAt }).save()
    const response = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(await tokenFor(owner))
      .json({ number: '+4930555000', routing: { type: 'hangup' } })
    response.assertStatus(201)
  })

  test('the number is immutable; other fields and routing change and are audited', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const row = await makePhoneNumber(organization, { number: '+4930222333' })
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const change = await client
      .patch(`/api/v1/phone-numbers/${row.id}`)
      .bearerToken(token)
      .json({ number: '+4930222334' })
    change.assertStatus(422)
    assert.deepEqual(fields(change.body()), ['number'])
    const same = await client
      .patch(`/api/v1/phone-numbers/${row.id}`)
      .bearerToken(token)
      .json({
        number: '+49 30 222 333',
        friendlyName: 'Sales',
        status: 'inactive',
        routing: { type: 'extension', id: extension.id },
      })
    same.assertStatus(200)
    assert.equal(same.body().data.number, '+4930222333')
    assert.equal(same.body().data.status, 'inactive')
    assert.equal(same.body().data.routing.id, extension.id)
    const audit = await db
      .from('audit_logs')
      .where({ action: 'phone_number.updated', subject_id: String(row.id) })
      .firstOrFail()
    assert.equal(audit.before.routing.type, 'hangup')
    assert.equal(audit.after.routing.type, 'extension')
    const back = await client
      .patch(`/api/v1/phone-numbers/${row.id}`)
      .bearerToken(token)
      .json({ routing: { type: 'hangup' }, trunkId: null })
    assert.deepEqual(back.body().data.routing, { type: 'hangup', id: null, name: null })
    const raw = await db.from('phone_numbers').where('id', row.id).firstOrFail()
    assert.isNull(raw.routing_target_id)
  })

  test("another organization's trunk is refused like a missing one", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreignTrunk = await makeTrunk(b.organization)
    const response = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(await tokenFor(a.owner))
      .json({ number: '+4930111000', trunkId: foreignTrunk, routing: { type: 'hangup' } })
    response.assertStatus(422)
    assert.deepEqual(fields(response.body()), ['trunkId'])
  })
})

test.group('Phone numbers API: delete and restore', (group) => {
  isolate(group)

  test('delete is soft and audited; restore brings it back', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const row = await makePhoneNumber(organization)
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/phone-numbers/${row.id}`).bearerToken(token)).assertStatus(204)
    const raw = await db.from('phone_numbers').where('id', row.id).firstOrFail()
    assert.isNotNull(raw.deleted_at)
    ;(await client.get(`/api/v1/phone-numbers/${row.id}`).bearerToken(token)).assertStatus(404)
    const restored = await client.post(`/api/v1/phone-numbers/${row.id}/restore`).bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    const actions = await db
      .from('audit_logs')
      .where('subject_id', String(row.id))
      .where('subject_type', 'phone_number')
      .orderBy('id')
      .select('action')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['phone_number.deleted', 'phone_number.restored'],
    )
    const again = await client.post(`/api/v1/phone-numbers/${row.id}/restore`).bearerToken(token)
    again.assertStatus(404)
  })

  test('restore is 409 when anyone took the number meanwhile', async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const row = await makePhoneNumber(a.organization, { number: '+4930777000' })
    await row.merge({ deletedAt: row.createdAt }).save()
    await makePhoneNumber(b.organization, { number: '+4930777000', friendlyName: 'B line' })
    const response = await client
      .post(`/api/v1/phone-numbers/${row.id}/restore`)
      .bearerToken(await tokenFor(a.owner))
    response.assertStatus(409)
    assert.notInclude(response.text(), 'B line')
    const raw = await db.from('phone_numbers').where('id', row.id).firstOrFail()
    assert.isNotNull(raw.deleted_at)
  })

  test('restore is 409 when its routing target was deleted meanwhile', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const row = await makePhoneNumber(organization, {
      routingType: 'extension',
      routingTargetId: extension.id,
    })
    await row.merge({ deletedAt: row.createdAt }).save()
    await extension.merge({ deletedAt: extension.createdAt }).save()
    const response = await client
      .post(`/api/v1/phone-numbers/${row.id}/restore`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_CONFLICT')
  })
})

test.group('Phone numbers responses match the OpenAPI document', (group) => {
  isolate(group)

  test('create, list, show and restore responses', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const extension = await makeExtension(organization)
    const created = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(token)
      .json({ number: '+4930606060', routing: { type: 'extension', id: extension.id } })
    assertMatchesSchema(assert, schemas.PhoneNumber, created.body().data)
    await makePhoneNumber(organization)
    const listed = await client.get('/api/v1/phone-numbers').bearerToken(token)
    assert.lengthOf(listed.body().data, 2)
    for (const row of listed.body().data) assertMatchesSchema(assert, schemas.PhoneNumber, row)
    const id = created.body().data.id
    await client.delete(`/api/v1/phone-numbers/${id}`).bearerToken(token)
    const restored = await client.post(`/api/v1/phone-numbers/${id}/restore`).bearerToken(token)
    assertMatchesSchema(assert, schemas.PhoneNumber, restored.body().data)
  })
})
