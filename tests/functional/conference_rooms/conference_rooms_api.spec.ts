import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import ConferenceRoom from '#models/conference_room'
import references from '#services/references/reference_registry'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

test.group('Conference rooms API', (group) => {
  isolate(group)

  test('creates a room with encrypted PINs that are never returned, and audits it', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const response = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(await tokenFor(admin))
      .json({ number: '800', name: 'All hands', pin: '123456', hostPin: '987654' })
    response.assertStatus(201)
    const room = response.body().data
    assert.containsSubset(room, {
      number: '800',
      name: 'All hands',
      organizationId: organization.id,
      hasPin: true,
      hasHostPin: true,
      maxParticipants: 25,
      musicOnHold: false,
      waitForHost: false,
      status: 'active',
      createdBy: admin.id,
    })
    assert.notProperty(room, 'pin')
    assert.notProperty(room, 'hostPin')
    assert.notInclude(response.text(), '123456')
    assert.notInclude(response.text(), '987654')

    const raw = await db.from('conference_rooms').where('id', room.id).firstOrFail()
    assert.notEqual(raw.pin, '123456')
    assert.notInclude(raw.pin, '123456')
    assert.notInclude(raw.host_pin, '987654')
    const stored = await ConferenceRoom.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('id', room.id)
      .firstOrFail()
    assert.equal(stored.pin, '123456')
    assert.equal(stored.hostPin, '987654')

    const audit = await AuditLog.query()
      .where('action', 'conference_room.created')
      .where('subject_id', String(room.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, admin.id)
    assert.notInclude(JSON.stringify(audit.serialize()), '123456')
  })

  test('refuses invalid fields with field-level 422s', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'A' }, 'number'],
      [{ number: '1', name: 'A' }, 'number'],
      [{ number: '1234567', name: 'A' }, 'number'],
      [{ number: '12a', name: 'A' }, 'number'],
      [{ number: '100' }, 'name'],
      [{ number: '100', name: 'A', pin: '123' }, 'pin'],
      [{ number: '100', name: 'A', pin: '12345678901' }, 'pin'],
      [{ number: '100', name: 'A', hostPin: 'abcd' }, 'hostPin'],
      [{ number: '100', name: 'A', maxParticipants: 1 }, 'maxParticipants'],
      [{ number: '100', name: 'A', maxParticipants: 501 }, 'maxParticipants'],
      [{ number: '100', name: 'A', status: 'closed' }, 'status'],
      [{ number: '100', name: 'A', muteOnEntry: 'maybe' }, 'muteOnEntry'],
    ]
    for (const [body, field] of cases) {
      const response = await client.post('/api/v1/conference-rooms').bearerToken(token).json(body)
      response.assertStatus(422)
      assert.equal(response.body().error.code, 'E_VALIDATION_ERROR')
      assert.include(fieldsOf(response.body()), field, JSON.stringify(body))
    }
    assert.equal(
      await db
        .from('conference_rooms')
        .count('* as n')
        .first()
        .then((r) => +r.n),
      0,
    )
  })

  test('number and name are unique per organization among live rooms', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    await makeRoom(organization, { number: '500', name: 'Sales' })
    await makeRoom(other.organization, { number: '600', name: 'Support' })
    const token = await tokenFor(owner)

    const dupNumber = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ number: '500', name: 'New' })
    dupNumber.assertStatus(422)
    assert.deepEqual(fieldsOf(dupNumber.body()), ['number'])
    const dupName = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ number: '501', name: 'SALES' })
    dupName.assertStatus(422)
    assert.deepEqual(fieldsOf(dupName.body()), ['name'])

    // Another organization's number and name are free to use.
    ;(
      await client
        .post('/api/v1/conference-rooms')
        .bearerToken(token)
        .json({ number: '600', name: 'Support' })
    ).assertStatus(201)
  })

  test('two simultaneous creates of one number: one room, the other refused (no 500)', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const create = (name: string) =>
      client.post('/api/v1/conference-rooms').bearerToken(token).json({ number: '777', name })
    const statuses = (await Promise.all([create('First'), create('Second')])).map((r) => r.status())
    assert.include(statuses, 201)
    assert.oneOf(
      statuses.find((s) => s !== 201),
      [409, 422],
    )
    const rows = await db
      .from('conference_rooms')
      .where({ organization_id: organization.id, number: '777' })
    assert.lengthOf(rows, 1)
  })

  test('wait for host needs a host PIN, and the host PIN must differ from the PIN', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const noHost = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ number: '300', name: 'Board', waitForHost: true, pin: '1111' })
    noHost.assertStatus(422)
    assert.deepEqual(fieldsOf(noHost.body()), ['waitForHost'])

    const same = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ number: '300', name: 'Board', pin: '4444', hostPin: '4444' })
    same.assertStatus(422)
    assert.deepEqual(fieldsOf(same.body()), ['hostPin'])

    const room = await makeRoom(organization, { hostPin: '9999', waitForHost: true, pin: '1111' })
    const removeHost = await client
      .patch(`/api/v1/conference-rooms/${room.id}`)
      .bearerToken(token)
      .json({ hostPin: null })
    removeHost.assertStatus(422)
    assert.deepEqual(fieldsOf(removeHost.body()), ['waitForHost'])
    const sameOnUpdate = await client
      .patch(`/api/v1/conference-rooms/${room.id}`)
      .bearerToken(token)
      .json({ pin: '9999' })
    sameOnUpdate.assertStatus(422)
    assert.deepEqual(fieldsOf(sameOnUpdate.body()), ['hostPin'])
  })

  test('updates partially: PINs kept unless sent, removed with null, changes audited', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const room = await makeRoom(organization, { pin: '2468', hostPin: '1357' })
    const token = await tokenFor(owner)

    const renamed = await client
      .patch(`/api/v1/conference-rooms/${room.id}`)
      .bearerToken(token)
      .json({ name: 'Renamed', number: room.number, maxParticipants: 100, muteOnEntry: true })
    renamed.assertStatus(200)
    assert.containsSubset(renamed.body().data, {
      name: 'Renamed',
      maxParticipants: 100,
      muteOnEntry: true,
      hasPin: true,
      hasHostPin: true,
      updatedBy: owner.id,
    })

    const cleared = await client
      .put(`/api/v1/conference-rooms/${room.id}`)
      .bearerToken(token)
      .json({ pin: null })
    cleared.assertStatus(200)
    assert.isFalse(cleared.body().data.hasPin)
    assert.isTrue(cleared.body().data.hasHostPin)

    // Absent keeps a value; an explicit null on a column that cannot be empty is refused.
    for (const field of ['name', 'number', 'maxParticipants', 'muteOnEntry', 'status']) {
      const refused = await client
        .patch(`/api/v1/conference-rooms/${room.id}`)
        .bearerToken(token)
        .json({ [field]: null })
      refused.assertStatus(422)
      assert.deepEqual(fieldsOf(refused.body()), [field])
    }

    const audit = await AuditLog.query()
      .where('action', 'conference_room.updated')
      .where('subject_id', String(room.id))
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.deepEqual(audit.metadata, { secretsChanged: ['pin'] })
  })

  test('soft-deletes and restores; a deleted room frees its number', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const room = await makeRoom(organization, { number: '42', name: 'Old' })
    const token = await tokenFor(owner)

    ;(await client.delete(`/api/v1/conference-rooms/${room.id}`).bearerToken(token)).assertStatus(
      204,
    )
    ;(await client.get(`/api/v1/conference-rooms/${room.id}`).bearerToken(token)).assertStatus(404)
    const raw = await db.from('conference_rooms').where('id', room.id).firstOrFail()
    assert.isNotNull(raw.deleted_at)
    const trashed = await client
      .get('/api/v1/conference-rooms')
      .qs({ trashed: 'only' })
      .bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((r: { id: number }) => r.id),
      [room.id],
    )

    const restored = await client
      .post(`/api/v1/conference-rooms/${room.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    ;(await client.get(`/api/v1/conference-rooms/${room.id}`).bearerToken(token)).assertStatus(200)
    ;(
      await client.post(`/api/v1/conference-rooms/${room.id}/restore`).bearerToken(token)
    ).assertStatus(404)

    // Deleted again, its number is reused; restoring it would then clash: 409, not a 500.
    await client.delete(`/api/v1/conference-rooms/${room.id}`).bearerToken(token)
    ;(
      await client
        .post('/api/v1/conference-rooms')
        .bearerToken(token)
        .json({ number: '42', name: 'New' })
    ).assertStatus(201)
    const clash = await client
      .post(`/api/v1/conference-rooms/${room.id}/restore`)
      .bearerToken(token)
    clash.assertStatus(409)
    assert.equal(clash.body().error.code, 'E_CONFLICT')
    assert.sameMembers(
      (await AuditLog.query().where('subject_id', String(room.id))).map((a) => a.action),
      ['conference_room.deleted', 'conference_room.restored', 'conference_room.deleted'],
    )
  })

  test('a room still referenced cannot be deleted: 409 listing the references', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const room = await makeRoom(organization)
    references.register('conference_room', async (organizationId, id) =>
      organizationId === organization.id && id === room.id
        ? [{ type: 'extension', id: 1, name: '8100' }]
        : [],
    )
    const response = await client
      .delete(`/api/v1/conference-rooms/${room.id}`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
    assert.deepEqual(response.body().error.details.references, [
      { type: 'extension', id: 1, name: '8100' },
    ])
    const raw = await db.from('conference_rooms').where('id', room.id).firstOrFail()
    assert.isNull(raw.deleted_at)
  })

  test('lists with pagination, status filter, search and sort', async ({ client, assert }) => {
    const { reporter, organization } = await createTenant()
    await makeRoom(organization, { number: '10', name: 'Charlie' })
    await makeRoom(organization, { number: '30', name: 'Alpha', status: 'inactive' })
    await makeRoom(organization, { number: '20', name: 'Bravo' })
    const token = await tokenFor(reporter)
    const list = (qs: Record<string, unknown>) =>
      client.get('/api/v1/conference-rooms').qs(qs).bearerToken(token)
    const names = (r: { body(): { data: { name: string }[] } }) =>
      r.body().data.map((row) => row.name)

    const byNumber = await list({})
    byNumber.assertStatus(200)
    assert.deepEqual(names(byNumber), ['Charlie', 'Bravo', 'Alpha'])
    assert.deepEqual(names(await list({ sort: 'name' })), ['Alpha', 'Bravo', 'Charlie'])
    assert.deepEqual(names(await list({ sort: '-number' })), ['Alpha', 'Bravo', 'Charlie'])
    assert.deepEqual(names(await list({ status: 'inactive' })), ['Alpha'])
    assert.deepEqual(names(await list({ search: 'brav' })), ['Bravo'])
    assert.deepEqual(names(await list({ search: '30' })), ['Alpha'])
    const paged = await list({ perPage: 2, page: 2 })
    assert.deepEqual(names(paged), ['Alpha'])
    assert.deepInclude(paged.body().meta, { total: 3, perPage: 2, page: 2, lastPage: 2 })

    for (const qs of [{ sort: 'pin' }, { status: 'open' }, { perPage: 101 }]) {
      const bad = await list(qs)
      bad.assertStatus(422)
      assert.equal(bad.body().error.code, 'E_VALIDATION_ERROR')
    }
  })
})
