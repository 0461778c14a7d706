import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isolate, tokenFor } from '#tests/helpers'
import {
  CDR,
  SESSION_UPDATE,
  cdr,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

const START = 1767089379000
const ANSWER = 1767089386000
const END = 1767089441000

test.group('Call timeline: session updates, CDR and compatibility events per call', (group) => {
  isolate(group)

  test('every delivery is on the timeline in event order, with what it did to the state', async ({
    assert,
    client,
  }) => {
    const t = await webhookTenant()
    const token = 'tok-timeline'
    const deliveries = [
      sessionUpdate(t.domain, token, { status: 'ringing', callStartTime: START }),
      sessionUpdate(t.domain, token, { status: 'connected', callAnswerTime: ANSWER }),
      // Late: arrives after the answer; kept on the timeline but it moved nothing.
      sessionUpdate(t.domain, token, { status: 'ringing', callStartTime: START }),
      sessionUpdate(t.domain, token, {
        status: 'connected',
        callAnswerTime: ANSWER,
        callEndTime: END,
      }),
    ]
    for (const body of deliveries) {
      assert.equal((await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })).status, 200)
    }
    assert.equal((await post(CDR, cdr(t.domain, token), { bearer: t.secrets[0] })).status, 200)
    // A redelivered event is answered from the idempotency store and adds no row.
    assert.equal((await post(SESSION_UPDATE, deliveries[1], { bearer: t.secrets[0] })).status, 200)

    const log = await db
      .from('call_logs')
      .where('organization_id', t.organization.id)
      .where('call_id', token)
      .firstOrFail()
    const response = await client
      .get(`/api/v1/call-logs/${log.id}/timeline`)
      .bearerToken(await tokenFor(t.owner))
    response.assertStatus(200)
    const events = response.body().data as Record<string, unknown>[]
    assert.deepEqual(
      events.map((e) => [e.source, e.status, e.state, e.previousState, e.applied, e.ignoredReason]),
      [
        ['session-update', 'ringing', 'ringing', 'initiated', true, null],
        ['session-update', 'ringing', 'ringing', 'answered', false, 'stale'],
        ['session-update', 'connected', 'answered', 'ringing', true, null],
        ['session-update', 'connected', 'completed', 'answered', true, null],
        ['cdr', 'CONNECTED', 'completed', 'completed', false, null],
      ],
    )
    assert.equal(events[0].occurredAt, new Date(START).toISOString())
    assert.equal(events[2].occurredAt, new Date(ANSWER).toISOString())
    assert.equal(events[3].occurredAt, new Date(END).toISOString())
    assert.deepInclude(events[4].details as object, { duration: 62, billsec: 55 })
    assert.deepInclude(events[3].details as object, { callEndTime: END, action: 'updated' })
  })

  test('compatibility webhooks land on the same timeline', async ({ assert, client }) => {
    const t = await webhookTenant()
    const at = Math.floor(Date.now() / 1000)
    const initiated = await post(
      '/api/webhooks/call-initiated',
      { call_id: 'compat-tl-1', from: '+14155550100', to: '+14155550199', timestamp: at },
      { bearer: t.secrets[0], domain: t.domain },
    )
    assert.equal(initiated.status, 200)
    const status = await post(
      '/api/webhooks/call-status',
      { call_id: 'compat-tl-1', status: 'no-answer', timestamp: at + 20 },
      { bearer: t.secrets[0], domain: t.domain },
    )
    assert.equal(status.status, 200)
    const log = await db
      .from('call_logs')
      .where('organization_id', t.organization.id)
      .where('call_id', 'compat-tl-1')
      .firstOrFail()
    const response = await client
      .get(`/api/v1/call-logs/${log.id}/timeline`)
      .bearerToken(await tokenFor(t.owner))
    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((e: Record<string, unknown>) => [e.source, e.status, e.state]),
      [
        ['compat', 'initiated', 'initiated'],
        ['compat', 'no-answer', 'no_answer'],
      ],
    )
  })
})
