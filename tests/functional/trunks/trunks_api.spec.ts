import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import ApiException from '#exceptions/api_exception'
import TrunkDirectory from '#services/trunks/trunk_directory'
import type { Actor } from '#services/shared/audited_rows'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'

const registerTrunk = {
  name: 'Carrier A',
  kind: 'register',
  host: 'sip.carrier-a.example',
  username: 'acme-main',
  password: 'S3cret-trunk-pass',
  codecs: ['opus', 'PCMU'],
  maxChannels: 30,
  priority: 5,
  callerIdNumber: '+442079460000',
}

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

test.group('Trunks API: create and show', (group) => {
  isolate(group)

  test('creates a register trunk; the password is encrypted at rest and never returned', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const response = await client
      .post('/api/v1/trunks')
      .bearerToken(await tokenFor(admin))
      .json(registerTrunk)
    response.assertStatus(201)
    const body = response.body().data
    assert.deepInclude(body, {
      name: 'Carrier A',
      kind: 'register',
      port: 5060,
      transport: 'udp',
      registerExpiry: 300,
      passwordSet: true,
      codecs: ['opus', 'PCMU'],
      organizationId: organization.id,
      passCallerId: true,
      enabled: true,
    })
    assert.notProperty(body, 'password')
    assert.notInclude(response.text(), 'S3cret-trunk-pass')

    const raw = await db.from('trunks').where('id', body.id).firstOrFail()
    assert.isString(raw.password)
    assert.notInclude(raw.password, 'S3cret-trunk-pass')

    const audit = await AuditLog.query()
      .where('action', 'trunk.created')
      .where('subject_id', String(body.id))
      .firstOrFail()
    assert.equal(audit.organizationId, organization.id)
    assert.equal(audit.actorUserId, admin.id)
    assert.notInclude(JSON.stringify(audit.after), 'S3cret-trunk-pass')

    const shown = await client.get(`/api/v1/trunks/${body.id}`).bearerToken(await tokenFor(admin))
    shown.assertStatus(200)
    assert.notInclude(shown.text(), 'S3cret-trunk-pass')
    assert.isTrue(shown.body().data.passwordSet)
  })

  test('creates an IP trunk with canonical CIDRs and no credentials', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/trunks')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'Carrier IP',
        kind: 'ip',
        allowedCidrs: ['203.0.113.0/24', '198.51.100.7', '2001:DB8::/48'],
        username: 'ignored',
        password: 'ignored-secret',
      })
    response.assertStatus(201)
    assert.deepInclude(response.body().data, {
      kind: 'ip',
      allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32', '2001:db8::/48'],
      username: null,
      passwordSet: false,
      registerExpiry: null,
      host: null,
    })
  })

  test('answers 422 with field errors for malformed fields', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/trunks')
      .bearerToken(await tokenFor(owner))
      .json({
        name: '',
        kind: 'peer',
        host: 'not a host!',
        port: 70000,
        transport: 'sctp',
        registerExpiry: 30,
        allowedCidrs: ['10.0.0.0/33'],
        codecs: ['PCMU', 'PCMU'],
        maxChannels: 0,
        priority: 101,
        callerIdNumber: '02079460000',
      })
    response.assertStatus(422)
    assert.includeMembers(fieldsOf(response.body()), [
      'name',
      'kind',
      'host',
      'port',
      'transport',
      'registerExpiry',
      'allowedCidrs.0',
      'codecs',
      'maxChannels',
      'priority',
      'callerIdNumber',
    ])
  })

  test('requires host, username and password for a register trunk', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/trunks')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'Half', kind: 'register' })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), ['host', 'username', 'password'])
  })

  test('requires allowed CIDRs for an IP trunk and refuses over-wide ranges', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const missing = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ name: 'No ACL', kind: 'ip' })
    missing.assertStatus(422)
    assert.deepEqual(fieldsOf(missing.body()), ['allowedCidrs'])

    const wide = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ name: 'Wide', kind: 'ip', allowedCidrs: ['0.0.0.0/0', '10.0.0.0/8', '::/0'] })
    wide.assertStatus(422)
    assert.sameMembers(fieldsOf(wide.body()), [
      'allowedCidrs.0',
      'allowedCidrs.1',
      'allowedCidrs.2',
    ])

    const tooMany = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({
        name: 'Many',
        kind: 'ip',
        allowedCidrs: Array.from({ length: 21 }, (_, i) => `198.51.100.${i}`),
      })
    tooMany.assertStatus(422)
  })

  test('requires a default caller id when the caller id is not passed through', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/trunks')
      .bearerToken(await tokenFor(owner))
      .json({ ...registerTrunk, callerIdNumber: null, passCallerId: false })
    response.assertStatus(422)
    assert.deepEqual(fieldsOf(response.body()), ['callerIdNumber'])
  })

  test('names are unique per organization, whatever the case', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    await TrunkFactory.merge({ organizationId: organization.id, name: 'Carrier A' }).create()
    await TrunkFactory.merge({ organizationId: other.organization.id, name: 'Shared' }).create()
    const token = await tokenFor(owner)
    const dup = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ ...registerTrunk, name: 'CARRIER a' })
    dup.assertStatus(422)
    assert.deepEqual(fieldsOf(dup.body()), ['name'])
    const elsewhere = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ ...registerTrunk, name: 'Shared' })
    elsewhere.assertStatus(201)
  })
})

test.group('Trunks: unique-name race', (group) => {
  isolate(group)

  test('a duplicate that slips past validation is a 409, not a 500', async ({ assert }) => {
    const { owner, organization } = await createTenant()
    const actor: Actor = {
      organizationId: organization.id,
      actorUserId: owner.id,
      impersonatorStaffId: null,
      ip: null,
      userAgent: null,
      requestId: null,
    }
    const directory = new TrunkDirectory()
    const input = { name: 'Racy', kind: 'ip' as const, allowedCidrs: ['192.0.2.0/24'] }
    await directory.create(organization, input, actor)
    try {
      await directory.create(organization, { ...input, name: 'RACY' }, actor)
      assert.fail('the second create should have been refused')
    } catch (error) {
      assert.instanceOf(error, ApiException)
      assert.equal((error as ApiException).status, 409)
    }
  })
})

test.group('Trunks API: update', (group) => {
  isolate(group)

  test('updating without a password keeps the stored one; sending one replaces it', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({
      organizationId: organization.id,
      password: 'original-secret',
    }).create()
    const token = await tokenFor(admin)

    const kept = await client
      .patch(`/api/v1/trunks/${trunk.id}`)
      .bearerToken(token)
      .json({ priority: 3, codecs: ['G722'] })
    kept.assertStatus(200)
    assert.deepInclude(kept.body().data, { priority: 3, codecs: ['G722'], passwordSet: true })
    await trunk.refresh()
    assert.equal(trunk.password, 'original-secret')

    const replaced = await client
      .put(`/api/v1/trunks/${trunk.id}`)
      .bearerToken(token)
      .json({ password: 'rotated-secret' })
    replaced.assertStatus(200)
    await trunk.refresh()
    assert.equal(trunk.password, 'rotated-secret')
    const audit = await AuditLog.query()
      .where('action', 'trunk.updated')
      .where('subject_id', String(trunk.id))
    assert.lengthOf(audit, 2)
    assert.notInclude(JSON.stringify(audit.map((a) => a.after)), 'rotated-secret')
  })

  test('switching a register trunk to IP drops its credentials and needs CIDRs', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
    const token = await tokenFor(owner)
    const refused = await client
      .patch(`/api/v1/trunks/${trunk.id}`)
      .bearerToken(token)
      .json({ kind: 'ip' })
    refused.assertStatus(422)
    assert.deepEqual(fieldsOf(refused.body()), ['allowedCidrs'])

    const switched = await client
      .patch(`/api/v1/trunks/${trunk.id}`)
      .bearerToken(token)
      .json({ kind: 'ip', allowedCidrs: ['192.0.2.0/24'] })
    switched.assertStatus(200)
    assert.deepInclude(switched.body().data, { kind: 'ip', passwordSet: false, username: null })
    const raw = await db.from('trunks').where('id', trunk.id).firstOrFail()
    assert.isNull(raw.password)
  })

  test('switching an IP trunk to register requires credentials', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.apply('ip').merge({ organizationId: organization.id }).create()
    const response = await client
      .patch(`/api/v1/trunks/${trunk.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ kind: 'register', host: 'sip.example.net' })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), ['username', 'password'])
  })

  test('keeping its own name is not a conflict; taking another trunk name is', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const [a, b] = await TrunkFactory.merge({ organizationId: organization.id }).createMany(2)
    const token = await tokenFor(owner)
    const same = await client
      .patch(`/api/v1/trunks/${a.id}`)
      .bearerToken(token)
      .json({ name: a.name })
    same.assertStatus(200)
    const taken = await client
      .patch(`/api/v1/trunks/${a.id}`)
      .bearerToken(token)
      .json({ name: b.name })
    taken.assertStatus(422)
    assert.deepEqual(fieldsOf(taken.body()), ['name'])
  })
})

test.group('Trunks API: delete, restore and references', (group) => {
  isolate(group)

  test('soft-deletes and restores, auditing both', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/trunks/${trunk.id}`).bearerToken(token)).assertStatus(204)
    ;(await client.get(`/api/v1/trunks/${trunk.id}`).bearerToken(token)).assertStatus(404)
    const trashed = await client.get('/api/v1/trunks').qs({ trashed: 'only' }).bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((t: { id: number }) => t.id),
      [trunk.id],
    )
    assert.isNotNull(trashed.body().data[0].deletedAt)

    const restored = await client.post(`/api/v1/trunks/${trunk.id}/restore`).bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    assert.isTrue(restored.body().data.passwordSet)
    ;(await client.post(`/api/v1/trunks/${trunk.id}/restore`).bearerToken(token)).assertStatus(404)
    const actions = await AuditLog.query()
      .where('subject_type', 'trunk')
      .where('subject_id', String(trunk.id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['trunk.deleted', 'trunk.restored'],
    )
  })

  test('restoring answers 409 when a live trunk took the name meanwhile', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({
      organizationId: organization.id,
      name: 'Main',
    }).create()
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/trunks/${trunk.id}`).bearerToken(token)).assertStatus(204)
    ;(
      await client
        .post('/api/v1/trunks')
        .bearerToken(token)
        .json({ ...registerTrunk, name: 'main' })
    ).assertStatus(201)
    const response = await client.post(`/api/v1/trunks/${trunk.id}/restore`).bearerToken(token)
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_CONFLICT')
  })

  test('deleting a trunk an outbound route uses answers 409 listing the routes', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
    const route = await OutboundRouteFactory.merge({
      organizationId: organization.id,
      name: 'International',
    }).create()
    await attachTrunks(route, [trunk])
    const token = await tokenFor(owner)

    const refused = await client.delete(`/api/v1/trunks/${trunk.id}`).bearerToken(token)
    refused.assertStatus(409)
    assert.equal(refused.body().error.code, 'E_RESOURCE_IN_USE')
    assert.deepEqual(refused.body().error.details.references, [
      { type: 'outbound_route', id: route.id, name: 'International' },
    ])
    const raw = await db.from('trunks').where('id', trunk.id).firstOrFail()
    assert.isNull(raw.deleted_at)

    // A route in the bin no longer holds the trunk.
    ;(await client.delete(`/api/v1/outbound-routes/${route.id}`).bearerToken(token)).assertStatus(
      204,
    )
    ;(await client.delete(`/api/v1/trunks/${trunk.id}`).bearerToken(token)).assertStatus(204)
  })
})

test.group('Trunks API: list', (group) => {
  isolate(group)

  test('paginates, filters by kind and enabled, searches name and host, sorts', async ({
    client,
    assert,
  }) => {
    const { reporter, organization } = await createTenant()
    const org = { organizationId: organization.id }
    await TrunkFactory.merge({ ...org, name: 'Bravo', priority: 2 }).create()
    await TrunkFactory.merge({
      ...org,
      name: 'Alpha',
      priority: 9,
      host: 'edge.voipco.example',
    }).create()
    await TrunkFactory.apply('ip')
      .merge({ ...org, name: 'Charlie', priority: 1 })
      .create()
    await TrunkFactory.merge({ ...org, name: 'Delta', priority: 4, enabled: false }).create()
    const token = await tokenFor(reporter)
    const names = (response: { body(): { data: { name: string }[] } }) =>
      response.body().data.map((t) => t.name)

    const byPriority = await client.get('/api/v1/trunks').bearerToken(token)
    byPriority.assertStatus(200)
    assert.deepEqual(names(byPriority), ['Charlie', 'Bravo', 'Delta', 'Alpha'])

    const paged = await client
      .get('/api/v1/trunks')
      .qs({ sort: '-name', perPage: 2, page: 2 })
      .bearerToken(token)
    assert.deepEqual(names(paged), ['Bravo', 'Alpha'])
    assert.deepInclude(paged.body().meta, { total: 4, perPage: 2, page: 2, lastPage: 2 })

    const ip = await client.get('/api/v1/trunks').qs({ kind: 'ip' }).bearerToken(token)
    assert.deepEqual(names(ip), ['Charlie'])
    const disabled = await client.get('/api/v1/trunks').qs({ enabled: 'false' }).bearerToken(token)
    assert.deepEqual(names(disabled), ['Delta'])
    const byHost = await client.get('/api/v1/trunks').qs({ search: 'VOIPCO' }).bearerToken(token)
    assert.deepEqual(names(byHost), ['Alpha'])
    const byName = await client.get('/api/v1/trunks').qs({ search: 'rav' }).bearerToken(token)
    assert.deepEqual(names(byName), ['Bravo'])
    assert.notInclude(byPriority.text(), 'trunk-secret')
  })

  test('refuses unknown sort fields and out-of-range paging with 422', async ({ client }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    ;(await client.get('/api/v1/trunks').qs({ sort: 'password' }).bearerToken(token)).assertStatus(
      422,
    )
    ;(await client.get('/api/v1/trunks').qs({ perPage: 101 }).bearerToken(token)).assertStatus(422)
    ;(await client.get('/api/v1/trunks').qs({ kind: 'sip' }).bearerToken(token)).assertStatus(422)
  })
})
