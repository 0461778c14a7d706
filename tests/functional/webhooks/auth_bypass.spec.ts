import { test } from '@japa/runner'
import env from '#start/env'
import { bypassAllowed } from '#middleware/webhook_auth_middleware'
import { isolate } from '#tests/helpers'
import {
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

test.group('Webhook authentication: development bypass', (group) => {
  isolate(group)
  group.each.teardown(() => {
    env.set('WEBHOOK_AUTH_BYPASS', false)
  })

  test('off unless configured: an unauthenticated request is refused', async ({ assert }) => {
    const t = await webhookTenant()
    const response = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'bypass-off', {}))
    assert.equal(response.status, 401)
  })

  test('when configured, requests pass without a credential but the tenant is still checked', async ({
    assert,
  }) => {
    const t = await webhookTenant({ mode: 'edge' })
    env.set('WEBHOOK_AUTH_BYPASS', true)
    const accepted = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'bypass-on', {}))
    assert.equal(accepted.status, 200)
    const unknown = await post(SESSION_UPDATE, sessionUpdate('nowhere.example', 'bypass-x', {}))
    assert.equal(unknown.status, 404)
  })

  test('never in production, whatever the variable says', ({ assert }) => {
    assert.isFalse(bypassAllowed('production', true))
    assert.isTrue(bypassAllowed('development', true))
    assert.isFalse(bypassAllowed('development', undefined))
    assert.isFalse(bypassAllowed('test', false))
  })
})
