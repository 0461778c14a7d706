import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { isolate } from '#tests/helpers'
import WebhookSecret from '#models/webhook_secret'
import {
  EDGE_SECRET,
  SESSION_UPDATE,
  addNumber,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

async function callCount(organizationId: number) {
  const [row] = await db.from('call_logs').where('organization_id', organizationId).count('* as n')
  return Number(row.n)
}

test.group('Webhook authentication', (group) => {
  isolate(group)

  test('a request signed with the shared edge secret is accepted', async ({ assert }) => {
    const t = await webhookTenant()
    const body = sessionUpdate(t.domain, 'tok-edge-1', {})
    const response = await post(SESSION_UPDATE, body, { sign: EDGE_SECRET(), domain: t.domain })
    assert.equal(response.status, 200)
    assert.deepEqual(response.json, { ok: true })
    assert.equal(await callCount(t.organization.id), 1)
  })

  test("a request signed with the tenant's own secret is accepted", async ({ assert }) => {
    const t = await webhookTenant({ mode: 'edge' })
    const body = sessionUpdate(t.domain, 'tok-edge-2', {})
    const response = await post(SESSION_UPDATE, body, { sign: t.secrets[0] })
    assert.equal(response.status, 200)
  })

  test('a Cloudonix-mode tenant is authenticated by its bearer token', async ({ assert }) => {
    const t = await webhookTenant()
    const body = sessionUpdate(t.domain, 'tok-bearer', {})
    const ok = await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })
    assert.equal(ok.status, 200)
    const wrong = await post(SESSION_UPDATE, { ...body, eventId: randomUUID() }, { bearer: 'x' })
    assert.equal(wrong.status, 401)
    assert.equal(wrong.json.error.code, 'E_WEBHOOK_SIGNATURE_INVALID')
  })

  test('an invalid signature is refused with 401 and nothing is stored', async ({ assert }) => {
    const t = await webhookTenant()
    const body = sessionUpdate(t.domain, 'tok-bad', {})
    const response = await post(SESSION_UPDATE, body, { sign: 'not-the-secret' })
    assert.equal(response.status, 401)
    assert.equal(response.json.error.code, 'E_WEBHOOK_SIGNATURE_INVALID')
    assert.equal(await callCount(t.organization.id), 0)
  })

  test('a signature over another body is refused', async ({ assert }) => {
    const t = await webhookTenant()
    const body = sessionUpdate(t.domain, 'tok-tamper', {})
    const signed = await post(SESSION_UPDATE, body, {
      sign: EDGE_SECRET(),
      sendInstead: JSON.stringify({ ...body, status: 'connected' }),
    })
    assert.equal(signed.status, 401)
  })

  test('no credential at all is refused with 401', async ({ assert }) => {
    const t = await webhookTenant()
    const response = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'tok-none', {}))
    assert.equal(response.status, 401)
    assert.equal(response.json.error.code, 'E_WEBHOOK_SIGNATURE_INVALID')
  })

  test('the signature window is ±300 s: 299 s passes, 301 s fails, both ways', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    for (const [skew, status] of [
      [299, 200],
      [-299, 200],
      [301, 401],
      [-301, 401],
    ]) {
      const body = sessionUpdate(t.domain, `tok-skew-${skew}`, {})
      const response = await post(SESSION_UPDATE, body, { sign: EDGE_SECRET(), skew })
      assert.equal(response.status, status, `skew ${skew}`)
    }
  })

  test('while two secrets are active both verify; a revoked one no longer does', async ({
    assert,
  }) => {
    const t = await webhookTenant({ mode: 'edge', secretCount: 2 })
    const [newest, oldest] = t.secrets
    for (const secret of [newest, oldest]) {
      const body = sessionUpdate(t.domain, `tok-rot-${secret.slice(0, 4)}`, {})
      assert.equal((await post(SESSION_UPDATE, body, { sign: secret })).status, 200)
    }
    // Through the model, as the revoke service does: its hook invalidates the cached secrets.
    const first = await WebhookSecret.query()
      .withScopes((s) => s.forOrganization(t.organization))
      .orderBy('id', 'asc')
      .firstOrFail()
    await first.merge({ revokedAt: DateTime.now() }).save()
    const body = sessionUpdate(t.domain, 'tok-rot-revoked', {})
    assert.equal((await post(SESSION_UPDATE, body, { sign: oldest })).status, 401)
    assert.equal((await post(SESSION_UPDATE, body, { sign: newest })).status, 200)
  })

  test('a bearer rotation accepts the old and the new token', async ({ assert }) => {
    const t = await webhookTenant({ secretCount: 2 })
    for (const bearer of t.secrets) {
      const body = sessionUpdate(t.domain, `tok-b-${bearer.slice(0, 4)}`, {})
      assert.equal((await post(SESSION_UPDATE, body, { bearer })).status, 200)
    }
  })

  test('an edge-mode tenant refuses a bearer-only request', async ({ assert }) => {
    const t = await webhookTenant({ mode: 'edge' })
    const response = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'tok-e', {}), {
      bearer: t.secrets[0],
    })
    assert.equal(response.status, 401)
    assert.equal(response.json.error.code, 'E_WEBHOOK_SIGNATURE_INVALID')
  })

  test('a Cloudonix-mode tenant without any secret fails closed with 500', async ({ assert }) => {
    const t = await webhookTenant({ secretCount: 0 })
    const response = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'tok-nc', {}), {
      bearer: 'anything',
    })
    assert.equal(response.status, 500)
    assert.equal(response.json.error.code, 'E_WEBHOOK_NOT_CONFIGURED')
    assert.equal(await callCount(t.organization.id), 0)
  })

  test('a tenant without secrets of its own still gets the platform signature checked: 401, not 500', async ({
    assert,
  }) => {
    const t = await webhookTenant({ secretCount: 0 })
    const stale = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'tok-ns-1', {}), {
      sign: EDGE_SECRET(),
      skew: 301,
    })
    assert.equal(stale.status, 401)
    assert.equal(stale.json.error.code, 'E_WEBHOOK_SIGNATURE_INVALID')
    assert.equal(stale.json.error.message, 'Webhook signature skewed')
    const forged = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'tok-ns-2', {}), {
      sign: 'not-the-platform-secret-0123456789abcdef',
    })
    assert.equal(forged.status, 401)
    assert.equal(forged.json.error.message, 'Webhook signature invalid')
    const signed = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'tok-ns-3', {}), {
      sign: EDGE_SECRET(),
    })
    assert.equal(signed.status, 200)
    assert.equal(await callCount(t.organization.id), 1)
  })

  test('an unknown tenant is 404', async ({ assert }) => {
    const body = sessionUpdate('nobody.example.net', 'tok-u', {})
    const response = await post(SESSION_UPDATE, body, { sign: EDGE_SECRET() })
    assert.equal(response.status, 404)
    const noDomain = await post(
      SESSION_UPDATE,
      { ...body, domain: undefined, destination: '+19995550000' },
      { sign: EDGE_SECRET() },
    )
    assert.equal(noDomain.status, 404)
  })

  test('the tenant is found from the called number when no domain is sent', async ({ assert }) => {
    const t = await webhookTenant()
    await addNumber(t.organization.id, '+14155550123')
    const body = { ...sessionUpdate(t.domain, 'tok-num', {}), domain: undefined }
    body.destination = '14155550123'
    const response = await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })
    assert.equal(response.status, 200)
    assert.equal(await callCount(t.organization.id), 1)
  })

  test("a signed request of tenant A about tenant B's number is refused", async ({ assert }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    await addNumber(b.organization.id, '+14155550777')
    const body = sessionUpdate(a.domain, 'tok-cross', { destination: '+14155550777' })
    const response = await post(SESSION_UPDATE, body, { sign: EDGE_SECRET(), domain: a.domain })
    assert.equal(response.status, 404)
    assert.equal(await callCount(a.organization.id), 0)
    assert.equal(await callCount(b.organization.id), 0)
  })

  test('header and body naming two different tenants is refused', async ({ assert }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    const body = sessionUpdate(b.domain, 'tok-two', {})
    const response = await post(SESSION_UPDATE, body, { sign: EDGE_SECRET(), domain: a.domain })
    assert.equal(response.status, 404)
  })

  test("tenant A's bearer cannot post events for tenant B", async ({ assert }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    const body = sessionUpdate(b.domain, 'tok-ab', {})
    const response = await post(SESSION_UPDATE, body, { bearer: a.secrets[0] })
    assert.equal(response.status, 401)
    assert.equal(await callCount(b.organization.id), 0)
  })
})
