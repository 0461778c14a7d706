import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import env from '#start/env'
import OrganizationSetting from '#models/organization_setting'
import TenantRateLimits from '#commands/tenant_rate_limits'
import { isolate } from '#tests/helpers'
import {
  EDGE_SECRET,
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
  type WebhookTenant,
} from '#tests/functional/webhooks/support'
import { makeDid, voice } from '#tests/functional/voice/support'

/* Requests naming the tenant but carrying no credential: they spend its budget all the same. */
async function statuses(t: WebhookTenant, count: number) {
  const seen: number[] = []
  for (let i = 0; i < count; i++) {
    seen.push((await post(SESSION_UPDATE, sessionUpdate(t.domain, `rl-${i}`, {}))).status)
  }
  return seen
}

async function setLimits(t: WebhookTenant, values: Partial<OrganizationSetting>) {
  const settings = await OrganizationSetting.query()
    .withScopes((s) => s.forOrganization(t.organization))
    .firstOrFail()
  await settings.merge(values).save()
}

test.group('Execution plane rate limits', (group) => {
  isolate(group)
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('100 a minute per tenant and IP by default; the 101st gets 429 with Retry-After', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const seen = await statuses(t, 100)
    assert.notInclude(seen, 429)
    const limited = await post(SESSION_UPDATE, sessionUpdate(t.domain, 'rl-over', {}))
    assert.equal(limited.status, 429)
    assert.equal(limited.json.error.code, 'E_TOO_MANY_REQUESTS')
    assert.isAbove(Number(limited.headers.get('retry-after')), 0)
  }).timeout(60_000)

  test("our voip-edge's platform-signed status webhooks are not metered; other signatures are", async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const seen: number[] = []
    for (let i = 0; i < 130; i++) {
      const update = sessionUpdate(t.domain, `edge-${i}`, {})
      seen.push((await post(SESSION_UPDATE, update, { sign: EDGE_SECRET() })).status)
    }
    assert.deepEqual([...new Set(seen)], [200])
    // A signature by anyone else (here: a wrong key) spends the tenant's budget as before.
    const forged: number[] = []
    for (let i = 0; i < 101; i++) {
      const update = sessionUpdate(t.domain, `forged-${i}`, {})
      forged.push((await post(SESSION_UPDATE, update, { sign: 'not-the-platform-key' })).status)
    }
    assert.deepEqual([...new Set(forged.slice(0, 100))], [401])
    assert.equal(forged[100], 429)
  }).timeout(60_000)

  test('requests naming no known tenant share their IP budget of 100', async ({ assert }) => {
    const seen: number[] = []
    for (let i = 0; i < 100; i++) seen.push((await post(SESSION_UPDATE, {}, {})).status)
    assert.deepEqual([...new Set(seen)], [404])
    assert.equal((await post(SESSION_UPDATE, {}, {})).status, 429)
  }).timeout(60_000)

  test("a tenant's own limit applies from its next request, and only to it", async ({ assert }) => {
    const small = await webhookTenant()
    const other = await webhookTenant()
    assert.notInclude(await statuses(small, 3), 429)
    await setLimits(small, { webhookRateLimit: 5 })
    assert.deepEqual(await statuses(small, 3), [401, 401, 429])
    assert.notInclude(await statuses(other, 10), 429)
  })

  test('voice routing has its own budget, configurable per tenant', async ({ assert }) => {
    const t = await webhookTenant({ mode: 'edge' })
    await setLimits(t, { voiceRateLimit: 2 })
    const to = await makeDid(t.organization, 'hangup', null)
    const seen = []
    for (let i = 0; i < 3; i++) seen.push((await voice('/api/voice/route', { To: to })).status)
    assert.deepEqual(seen, [200, 200, 429])
    // Webhooks of the same tenant are a separate budget.
    assert.notInclude(await statuses(t, 3), 429)
  })

  test('the per-IP ceiling holds across tenants', async ({ assert }) => {
    env.set('WEBHOOK_IP_CEILING', 4)
    try {
      const tenants = [await webhookTenant(), await webhookTenant(), await webhookTenant()]
      const seen = []
      for (const t of tenants) seen.push(...(await statuses(t, 2)))
      assert.deepEqual(seen, [401, 401, 401, 401, 429, 429])
    } finally {
      env.set('WEBHOOK_IP_CEILING', 2000)
    }
  })

  test('node ace tenant:rate-limits sets, shows and resets the budgets', async ({ assert }) => {
    const t = await webhookTenant()
    const set = await ace.create(TenantRateLimits, [
      t.organization.slug,
      '--webhooks=2',
      '--voice=700',
    ])
    await set.exec()
    set.assertSucceeded()
    set.assertLog(
      `[ blue(info) ] ${t.organization.slug}: webhooks 2/min, voice 700/min per source IP`,
    )
    assert.deepEqual(await statuses(t, 3), [401, 401, 429])

    const reset = await ace.create(TenantRateLimits, [t.organization.slug, '--reset'])
    await reset.exec()
    reset.assertSucceeded()
    reset.assertLog(
      `[ blue(info) ] ${t.organization.slug}: webhooks 100/min, voice 1000/min per source IP (platform defaults)`,
    )
  })

  test('tenant:rate-limits refuses bad input with a message and a non-zero exit', async () => {
    const t = await webhookTenant()
    const bad = await ace.create(TenantRateLimits, [t.organization.slug, '--webhooks=0'])
    await bad.exec()
    bad.assertFailed()
    bad.assertLog(
      '[ red(error) ] --webhooks must be a whole number of requests between 1 and 9999999',
    )
    const unknown = await ace.create(TenantRateLimits, ['no-such-org'])
    await unknown.exec()
    unknown.assertFailed()
    unknown.assertLog('[ red(error) ] No organization with slug "no-such-org"')
  })
})
