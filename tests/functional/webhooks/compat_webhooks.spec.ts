import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate } from '#tests/helpers'
import { addNumber, post, webhookTenant } from '#tests/functional/webhooks/support'

const T0 = 1767089379

async function call(organizationId: number, callId: string) {
  return db
    .from('call_logs')
    .where('organization_id', organizationId)
    .where('call_id', callId)
    .firstOrFail()
}

test.group('Compatibility call webhooks (call-initiated/answered/ended/status)', (group) => {
  isolate(group)

  test('initiated → answered → ended moves the call to completed with its times', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    await addNumber(t.organization.id, '+14155550123')
    const auth = { bearer: t.secrets[0] }
    const initiated = await post(
      '/api/webhooks/call-initiated',
      { call_id: 'c-1', from: '+14155550100', to: '+14155550123', timestamp: T0 },
      auth,
    )
    assert.equal(initiated.status, 200)
    assert.deepEqual(initiated.json, { ok: true, state: 'initiated', ignored: null })

    const domainAuth = { ...auth, domain: t.domain }
    await post('/api/webhooks/call-answered', { call_id: 'c-1', timestamp: T0 + 7 }, domainAuth)
    const ended = await post(
      '/api/webhooks/call-ended',
      { call_id: 'c-1', status: 'completed', timestamp: T0 + 62 },
      domainAuth,
    )
    assert.deepEqual(ended.json, { ok: true, state: 'completed', ignored: null })
    const row = await call(t.organization.id, 'c-1')
    assert.equal(row.status, 'completed')
    assert.equal(row.from_number, '+14155550100')
    assert.equal(row.answered_at.toISOString(), new Date((T0 + 7) * 1000).toISOString())
    assert.equal(row.duration_seconds, 62)
    assert.equal(row.billsec_seconds, 55)
  })

  test('call-status maps its enum onto the state machine and never moves back', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const auth = { bearer: t.secrets[0], domain: t.domain }
    const send = (status: string) =>
      post('/api/webhooks/call-status', { call_id: 'c-2', status, timestamp: T0 }, auth)
    assert.equal((await send('in-progress')).json.state, 'answered')
    const late = await send('ringing')
    assert.deepEqual(late.json, { ok: true, state: 'answered', ignored: 'stale' })
    assert.equal((await send('no-answer')).json.state, 'no_answer')
    assert.equal((await call(t.organization.id, 'c-2')).status, 'no_answer')
  })

  test('validators are strict: E.164 numbers, id characters, status enum', async ({ assert }) => {
    const t = await webhookTenant()
    const auth = { bearer: t.secrets[0], domain: t.domain }
    const fieldsOf = (r: { json: any }) =>
      r.json.error.details.fields.map((f: { field: string }) => f.field)

    const initiated = await post(
      '/api/webhooks/call-initiated',
      { call_id: 'bad id<', from: '14155550100', to: '+0123', direction: 'sideways' },
      auth,
    )
    assert.equal(initiated.status, 422)
    assert.sameMembers(fieldsOf(initiated), ['call_id', 'from', 'to', 'direction'])

    const status = await post(
      '/api/webhooks/call-status',
      { call_id: 'c-3', status: 'exploded', duration: -1, timestamp: 12 },
      auth,
    )
    assert.equal(status.status, 422)
    assert.sameMembers(fieldsOf(status), ['status', 'duration', 'timestamp'])
    const [count] = await db
      .from('call_logs')
      .where('organization_id', t.organization.id)
      .count('* as n')
    assert.equal(Number(count.n), 0)
  })

  test('the compatibility webhooks are authenticated like the others', async ({ assert }) => {
    const t = await webhookTenant({ mode: 'edge' })
    const body = { call_id: 'c-4', status: 'ringing' }
    const bearerOnly = await post('/api/webhooks/call-status', body, {
      bearer: t.secrets[0],
      domain: t.domain,
    })
    assert.equal(bearerOnly.status, 401)
    const unknown = await post('/api/webhooks/call-status', body, { bearer: t.secrets[0] })
    assert.equal(unknown.status, 404)
  })
})
