import { test } from '@japa/runner'
import { isolate } from '#tests/helpers'
import {
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

/* One sample's value from the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))
  return line ? Number(line.split(' ').at(-1)) : 0
}

test.group('Operations: /metrics after webhook and call traffic', (group) => {
  isolate(group)

  test('webhook outcomes and active calls per tenant move with the traffic', async ({
    client,
    assert,
  }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    const scrape = async () => (await client.get('/metrics')).text()
    const before = await scrape()
    const endpoint = SESSION_UPDATE
    const outcome = (text: string, name: string) =>
      sample(text, 'opbx_webhook_outcomes_total', { endpoint, outcome: name })
    const activeFor = (text: string, organizationId: number) =>
      sample(text, 'opbx_active_calls', { organization_id: String(organizationId) })

    // Two calls of A (one only just set up) and one of B; one update is delivered twice.
    const ringingA1 = sessionUpdate(a.domain, 'm-a1', { status: 'ringing' })
    for (const [tenant, body] of [
      [a, ringingA1],
      [a, ringingA1],
      [a, sessionUpdate(a.domain, 'm-a2', { status: 'processing' })],
      [b, sessionUpdate(b.domain, 'm-b1', { status: 'ringing' })],
    ] as const) {
      const response = await post(SESSION_UPDATE, body, { bearer: tenant.secrets[0] })
      assert.equal(response.status, 200, response.text)
    }
    const forged = await post(
      SESSION_UPDATE,
      sessionUpdate(a.domain, 'm-a3', { status: 'ringing' }),
      {
        bearer: 'not-a-secret',
      },
    )
    assert.equal(forged.status, 401)

    const ringing = await scrape()
    assert.equal(outcome(ringing, 'verified') - outcome(before, 'verified'), 4)
    assert.equal(outcome(ringing, 'duplicate') - outcome(before, 'duplicate'), 1)
    assert.equal(outcome(ringing, 'rejected') - outcome(before, 'rejected'), 1)
    assert.equal(activeFor(ringing, a.organization.id), 2)
    assert.equal(activeFor(ringing, b.organization.id), 1)

    // A's first call ends: A's gauge goes down, B's does not move.
    const ended = sessionUpdate(a.domain, 'm-a1', { status: 'busy', callEndTime: Date.now() })
    assert.equal((await post(SESSION_UPDATE, ended, { bearer: a.secrets[0] })).status, 200)
    const after = await scrape()
    assert.equal(activeFor(after, a.organization.id), 1)
    assert.equal(activeFor(after, b.organization.id), 1)

    const route = { route: '/api/webhooks/cloudonix/session-update', method: 'POST', status: '200' }
    const count = 'opbx_http_request_duration_seconds_count'
    assert.equal(sample(after, count, route) - sample(before, count, route), 5)
  })
})
