import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { isolate } from '#tests/helpers'
import { resolveWebhookTenant } from '#services/webhooks/webhook_tenant'
import { CDR, SESSION_UPDATE, post, webhookTenant } from '#tests/functional/webhooks/support'
import { makeExtension } from '#tests/functional/extensions/support'
import { only } from '#tests/functional/voice/support'
import { parseXml } from '../../../voip-edge/src/routing/cxml.js'

async function fixture(name: string) {
  const text = await readFile(app.makePath('tests/fixtures/cloudonix', name), 'utf8')
  return { text, json: JSON.parse(text) }
}

test.group('Recorded Cloudonix payloads (contract examples) replayed', (group) => {
  isolate(group)

  test('the §3.2 session update and a §3.3 CDR of the same session, as sent', async ({
    assert,
  }) => {
    const t = await webhookTenant({ domainName: 'acme.cloudonix.net' })
    const update = await fixture('session_update.json')
    // The exact recorded bytes, not a re-serialisation.
    const first = await post(SESSION_UPDATE, update.text, { bearer: t.secrets[0] })
    assert.deepEqual([first.status, first.json], [200, { ok: true }])
    let row = await db
      .from('call_logs')
      .where('organization_id', t.organization.id)
      .where('call_id', update.json.token)
      .firstOrFail()
    assert.equal(row.status, 'ringing')
    assert.equal(row.direction, 'outbound')
    assert.equal(row.initiated_at.getTime(), update.json.callStartTime)

    const record = await fixture('cdr.json')
    const stored = await post(CDR, record.text, { bearer: t.secrets[0] })
    assert.deepEqual([stored.status, stored.json], [200, { ok: true, stored: true }])
    row = await db.from('call_logs').where('id', row.id).firstOrFail()
    assert.equal(row.status, 'completed')
    assert.equal(row.billsec_seconds, 55)
    assert.equal(row.disposition, 'CONNECTED')
    const cdrs = await db.from('call_detail_records').where('organization_id', t.organization.id)
    assert.lengthOf(cdrs, 1)
    assert.equal(cdrs[0].session_token, update.json.token)
    assert.deepEqual(cdrs[0].raw_cdr, record.json)
  })

  test('the §1.2 voice request, as sent, routes the internal call to extension 3000', async ({
    assert,
  }) => {
    const t = await webhookTenant({ domainName: 'acme.cloudonix.net' })
    await makeExtension(t.organization, { number: '1004' })
    await makeExtension(t.organization, { number: '3000' })
    const request = await fixture('voice_request.json')
    const answer = await post('/api/voice/route', request.text, { bearer: t.secrets[0] })
    assert.equal(answer.status, 200)
    assert.match(answer.headers.get('content-type') ?? '', /^application\/xml/)
    const dial = only(parseXml(answer.text), 'Dial')
    assert.deepEqual(
      dial.children.map((c) => c.text),
      [`sip:3000@${t.organization.sipDomain}`],
    )
  })

  test('the tenant of the §1.2 voice request is found from its Domain/AccountSid', async ({
    assert,
  }) => {
    const t = await webhookTenant({ domainName: 'acme.cloudonix.net' })
    const request = await fixture('voice_request.json')
    const found = await resolveWebhookTenant('acme.cloudonix.net', request.json)
    assert.isTrue(found.ok)
    assert.equal(found.ok && found.organization.id, t.organization.id)
  })
})
