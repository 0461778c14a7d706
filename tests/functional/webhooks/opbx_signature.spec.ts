import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import WebhookSecret from '#models/webhook_secret'
import { isolate } from '#tests/helpers'
import {
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

/*
 * OPBX-compatible senders: X-Cloudonix-Signature = hex HMAC-SHA256(secret, raw body) with
 * X-Cloudonix-Timestamp (±300 s). The HMAC is computed here independently of the app.
 */
function opbxHeaders(secret: string, raw: string, skew = 0): Record<string, string> {
  return {
    'x-cloudonix-signature': createHmac('sha256', secret).update(raw).digest('hex'),
    'x-cloudonix-timestamp': String(Math.floor(Date.now() / 1000) + skew),
  }
}

async function calls(organizationId: number) {
  const [row] = await db.from('call_logs').where('organization_id', organizationId).count('* as n')
  return Number(row.n)
}

test.group('Webhook authentication: OPBX X-Cloudonix-Signature', (group) => {
  isolate(group)

  test('a body signed with the tenant secret is accepted and stored', async ({ assert }) => {
    const t = await webhookTenant()
    const body = JSON.stringify(sessionUpdate(t.domain, 'opbx-ok', { status: 'ringing' }))
    const response = await post(SESSION_UPDATE, body, { headers: opbxHeaders(t.secrets[0], body) })
    assert.equal(response.status, 200)
    assert.equal(await calls(t.organization.id), 1)
  })

  test('a wrong secret, another body or a malformed value is 401 and stores nothing', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const body = JSON.stringify(sessionUpdate(t.domain, 'opbx-bad', {}))
    const other = JSON.stringify(sessionUpdate(t.domain, 'opbx-other', {}))
    const cases = [
      opbxHeaders('not-the-tenant-secret-0123456789abcdef', body),
      opbxHeaders(t.secrets[0], other),
      { ...opbxHeaders(t.secrets[0], body), 'x-cloudonix-signature': 'zz' },
      { ...opbxHeaders(t.secrets[0], body), 'x-cloudonix-timestamp': 'yesterday' },
    ]
    for (const headers of cases) {
      const response = await post(SESSION_UPDATE, body, { headers })
      assert.equal(response.status, 401)
      assert.equal(response.json.error.code, 'E_WEBHOOK_SIGNATURE_INVALID')
    }
    assert.equal(await calls(t.organization.id), 0)
  })

  test('the timestamp header is required', async ({ assert }) => {
    const t = await webhookTenant()
    const body = JSON.stringify(sessionUpdate(t.domain, 'opbx-nots', {}))
    const { 'x-cloudonix-signature': signature } = opbxHeaders(t.secrets[0], body)
    const response = await post(SESSION_UPDATE, body, {
      headers: { 'x-cloudonix-signature': signature },
    })
    assert.equal(response.status, 401)
  })

  test('the window is ±300 s: 299 s passes, 301 s fails, both ways', async ({ assert }) => {
    const t = await webhookTenant()
    for (const [skew, status] of [
      [299, 200],
      [-299, 200],
      [301, 401],
      [-301, 401],
    ]) {
      const body = JSON.stringify(sessionUpdate(t.domain, `opbx-skew-${skew}`, {}))
      const response = await post(SESSION_UPDATE, body, {
        headers: opbxHeaders(t.secrets[0], body, skew),
      })
      assert.equal(response.status, status, `skew ${skew}`)
    }
  })

  test('during a rotation both secrets verify; a revoked one no longer does', async ({
    assert,
  }) => {
    const t = await webhookTenant({ secretCount: 2 })
    const [newest, oldest] = t.secrets
    for (const secret of [newest, oldest]) {
      const body = JSON.stringify(sessionUpdate(t.domain, `opbx-rot-${secret.slice(0, 6)}`, {}))
      const response = await post(SESSION_UPDATE, body, { headers: opbxHeaders(secret, body) })
      assert.equal(response.status, 200)
    }
    const first = await WebhookSecret.query()
      .withScopes((s) => s.forOrganization(t.organization))
      .orderBy('id', 'asc')
      .firstOrFail()
    await first.merge({ revokedAt: DateTime.now() }).save()
    const body = JSON.stringify(sessionUpdate(t.domain, 'opbx-rot-revoked', {}))
    assert.equal(
      (await post(SESSION_UPDATE, body, { headers: opbxHeaders(oldest, body) })).status,
      401,
    )
    assert.equal(
      (await post(SESSION_UPDATE, body, { headers: opbxHeaders(newest, body) })).status,
      200,
    )
  })

  test('an edge-mode tenant needs the edge signature, not the OPBX one', async ({ assert }) => {
    const t = await webhookTenant({ mode: 'edge' })
    const body = JSON.stringify(sessionUpdate(t.domain, 'opbx-edge', {}))
    const response = await post(SESSION_UPDATE, body, { headers: opbxHeaders(t.secrets[0], body) })
    assert.equal(response.status, 401)
  })

  test("tenant A's secret cannot sign for tenant B", async ({ assert }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    const body = JSON.stringify(sessionUpdate(b.domain, 'opbx-cross', {}))
    const response = await post(SESSION_UPDATE, body, { headers: opbxHeaders(a.secrets[0], body) })
    assert.equal(response.status, 401)
    assert.equal(await calls(b.organization.id), 0)
  })
})
