import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import RotateWebhookSecret from '#services/settings/rotate_webhook_secret'
import { activeSecrets } from '#services/settings/webhook_secrets'
import { sealSecret } from '#services/secrets/secret_box'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'

type Listed = { id: number; maskedValue: string; active: boolean; expiresAt: string | null }

test.group('Webhook secrets', (group) => {
  isolate(group)

  test('rotation returns a new 32-byte secret once; it is encrypted at rest and masked after', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const rotated = await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
    rotated.assertStatus(201)
    const { secret, id, active, previous } = rotated.body().data
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(Buffer.from(secret, 'base64url').length, 32)
    assert.isTrue(active)
    assert.isNull(previous)

    const raw = await db.from('webhook_secrets').where('id', id).firstOrFail()
    assert.notInclude(raw.secret, secret)
    assert.equal(raw.organization_id, organization.id)

    const list = await client.get('/api/v1/settings/webhook-secrets').bearerToken(token)
    list.assertStatus(200)
    assert.notInclude(list.text(), secret)
    assert.equal(
      list.body().data[0].maskedValue,
      `${secret.slice(0, 2)}••••••••${secret.slice(-2)}`,
    )
    assert.notProperty(list.body().data[0], 'secret')

    const audit = await AuditLog.query().where('action', 'webhook_secret.rotated').firstOrFail()
    assert.equal(audit.subjectId, String(id))
    assert.notInclude(JSON.stringify(audit.serialize()), secret)
  })

  test('never more than two secrets are active: the previous one gets the grace period, older ones expire now', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const rotate = (body = {}) =>
      client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token).json(body)
    const first = (await rotate()).body().data
    const second = (await rotate({ graceHours: 2 })).body().data
    assert.equal(second.previous.id, first.id)
    const graceEnd = DateTime.fromISO(second.previous.expiresAt)
    assert.approximately(graceEnd.diffNow('hours').hours, 2, 0.05)

    const third = (await rotate()).body().data
    assert.equal(third.previous.id, second.id)
    assert.approximately(
      DateTime.fromISO(third.previous.expiresAt).diffNow('hours').hours,
      24,
      0.05,
    )

    const list = await client.get('/api/v1/settings/webhook-secrets').bearerToken(token)
    const byId = new Map(list.body().data.map((s: Listed) => [s.id, s]))
    assert.isFalse((byId.get(first.id) as Listed).active)
    assert.isTrue((byId.get(second.id) as Listed).active)
    assert.isTrue((byId.get(third.id) as Listed).active)
    assert.isNull((byId.get(third.id) as Listed).expiresAt)

    const secrets = await activeSecrets(organization.id)
    assert.deepEqual(secrets, [third.secret, second.secret])
  })

  test('a short grace period is not extended by a later rotation', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const rotate = (body = {}) =>
      client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token).json(body)
    await rotate()
    const second = (await rotate()).body().data
    await db
      .from('webhook_secrets')
      .where('id', second.id)
      .update({ expires_at: DateTime.now().plus({ hours: 1 }).toJSDate() })
    const third = (await rotate({ graceHours: 48 })).body().data
    assert.equal(third.previous.id, second.id)
    assert.approximately(DateTime.fromISO(third.previous.expiresAt).diffNow('hours').hours, 1, 0.05)
  })

  test('activeSecrets ignores expired and revoked secrets and other organizations', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const rotate = new RotateWebhookSecret()
    const actor = (organizationId: number) => ({
      organizationId,
      actorUserId: null,
      impersonatorStaffId: null,
      ip: null,
      userAgent: null,
      requestId: null,
    })
    assert.deepEqual(await activeSecrets(a.organization.id), [])
    const { secret: one } = await rotate.handle(a.organization.id, 24, actor(a.organization.id))
    const { secret: two } = await rotate.handle(a.organization.id, 24, actor(a.organization.id))
    await rotate.handle(b.organization.id, 24, actor(b.organization.id))
    assert.deepEqual(await activeSecrets(a.organization.id), [two.secret, one.secret])

    await db
      .from('webhook_secrets')
      .where('id', one.id)
      .update({ expires_at: DateTime.now().minus({ seconds: 1 }).toJSDate() })
    assert.deepEqual(await activeSecrets(a.organization.id), [two.secret])
  })

  test('revoking refuses the last active secret but revokes the previous one', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const first = (
      await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
    ).body().data
    const last = await client
      .delete(`/api/v1/settings/webhook-secrets/${first.id}`)
      .bearerToken(token)
    last.assertStatus(409)
    assert.equal(last.body().error.code, 'E_LAST_WEBHOOK_SECRET')

    const second = (
      await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
    ).body().data
    ;(
      await client.delete(`/api/v1/settings/webhook-secrets/${first.id}`).bearerToken(token)
    ).assertStatus(204)
    const list = await client.get('/api/v1/settings/webhook-secrets').bearerToken(token)
    const revoked = list.body().data.find((s: Listed) => s.id === first.id)
    assert.isFalse(revoked.active)
    assert.isNotNull(revoked.revokedAt)
    ;(
      await client.delete(`/api/v1/settings/webhook-secrets/${first.id}`).bearerToken(token)
    ).assertStatus(404)
    ;(
      await client.delete(`/api/v1/settings/webhook-secrets/${second.id}`).bearerToken(token)
    ).assertStatus(409)
    assert.exists(await AuditLog.query().where('action', 'webhook_secret.revoked').first())
  })

  test('graceHours outside 1–168 is a 422', async ({ client, assert }) => {
    const { owner } = await createTenant()
    for (const graceHours of [0, 169, 1.5, 'soon']) {
      const response = await client
        .post('/api/v1/settings/webhook-secrets/rotate')
        .bearerToken(await tokenFor(owner))
        .json({ graceHours })
      response.assertStatus(422)
      assert.equal(response.body().error.details.fields[0].field, 'graceHours')
    }
  })

  for (const [actor, canList, canManage] of [
    ['owner', true, true],
    ['admin', true, false],
    ['user', false, false],
    ['reporter', false, false],
  ] as const) {
    test(`${actor} ${canList ? 'may' : 'may not'} list and ${canManage ? 'may' : 'may not'} rotate or revoke secrets`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const ownerToken = await tokenFor(tenant.owner)
      const existing = (
        await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(ownerToken)
      ).body().data
      await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(ownerToken)
      const token = await tokenFor(tenant[actor])
      const list = await client.get('/api/v1/settings/webhook-secrets').bearerToken(token)
      assert.equal(list.status(), canList ? 200 : 403)
      const rotate = await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
      assert.equal(rotate.status(), canManage ? 201 : 403)
      const revoke = await client
        .delete(`/api/v1/settings/webhook-secrets/${existing.id}`)
        .bearerToken(token)
      assert.equal(revoke.status(), canManage ? 204 : 403)
    })
  }

  test('the list issues the same number of queries for 5 and for 50 secrets', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = async () => {
      const response = await client.get('/api/v1/settings/webhook-secrets').bearerToken(token)
      response.assertStatus(200)
      return response
    }
    await list()
    const insert = (count: number) =>
      db.table('webhook_secrets').insert(
        Array.from({ length: count }, () => ({
          organization_id: organization.id,
          secret: sealSecret('revoked-secret-value-0123456789'),
          revoked_at: new Date(),
          created_at: new Date(),
          updated_at: new Date(),
        })),
      )
    await insert(5)
    const few = await countQueries(list)
    await insert(45)
    const many = await countQueries(list)
    assert.lengthOf((await list()).body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
