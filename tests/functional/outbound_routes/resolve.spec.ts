import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import {
  attachTrunks,
  OutboundRouteFactory,
  OutboundRuleFactory,
  TrunkFactory,
} from '#database/factories/trunk_factory'
import type Organization from '#models/organization'

/*
 * A small but realistic plan: "9" + national number via a carrier that wants +44, 00/+
 * international via two trunks (failover order B then A), a disabled catch-all.
 */
async function dialPlan(organization: Organization) {
  const org = { organizationId: organization.id }
  const a = await TrunkFactory.merge({ ...org, name: 'Carrier A' }).create()
  const b = await TrunkFactory.merge({ ...org, name: 'Carrier B' }).create()
  const off = await TrunkFactory.merge({ ...org, name: 'Carrier Off', enabled: false }).create()
  const national = await OutboundRouteFactory.merge({
    ...org,
    name: 'National',
    prefix: '90',
    minLength: 11,
    maxLength: 12,
    stripDigits: 2,
    prepend: '+44',
    priority: 10,
  }).create()
  await attachTrunks(national, [a])
  const international = await OutboundRouteFactory.merge({
    ...org,
    name: 'International',
    prefix: '+',
    priority: 20,
  }).create()
  await attachTrunks(international, [b, off, a])
  const viaZeros = await OutboundRouteFactory.merge({
    ...org,
    name: 'Zeros',
    prefix: '00',
    priority: 20,
  }).create()
  await attachTrunks(viaZeros, [a])
  const catchAll = await OutboundRouteFactory.merge({
    ...org,
    name: 'Catch-all',
    priority: 1,
    enabled: false,
  }).create()
  await attachTrunks(catchAll, [a])
  return { a, b, national, international, viaZeros }
}

function resolver(client: ApiClient, token: string) {
  return async (number: unknown) => {
    const response = await client
      .post('/api/v1/outbound-routes/resolve')
      .bearerToken(token)
      .json({ number })
    return response
  }
}

test.group('Outbound routes: resolve', (group) => {
  isolate(group)

  test('picks the first enabled matching route and applies strip/prepend', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const plan = await dialPlan(organization)
    const resolve = resolver(client, await tokenFor(user))

    const national = await resolve('902079 460000')
    national.assertStatus(200)
    assert.deepEqual(national.body().data, {
      allowed: true,
      reason: 'allowed',
      matchedPrefix: null,
      route: { id: plan.national.id, name: 'National' },
      trunks: [{ id: plan.a.id, name: 'Carrier A' }],
      dialledNumber: '+442079460000',
    })

    const international = await resolve('+1 (212) 555-0100')
    assert.deepInclude(international.body().data, {
      allowed: true,
      route: { id: plan.international.id, name: 'International' },
      dialledNumber: '+12125550100',
    })
    assert.deepEqual(
      international.body().data.trunks.map((t: { name: string }) => t.name),
      ['Carrier B', 'Carrier A'],
    )
  })

  test('answers no_route when nothing matches', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    await dialPlan(organization)
    const response = await resolver(client, await tokenFor(owner))('5550100')
    response.assertStatus(200)
    assert.deepEqual(response.body().data, {
      allowed: false,
      reason: 'no_route',
      matchedPrefix: null,
      route: null,
      trunks: [],
      dialledNumber: '5550100',
    })
  })

  test('blocks built-in premium ranges however they are dialled', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    await dialPlan(organization)
    const resolve = resolver(client, await tokenFor(owner))
    for (const number of ['+19005551234', '0019005551234', '+882 1234 5678']) {
      const body = (await resolve(number)).body().data
      assert.isFalse(body.allowed, number)
      assert.equal(body.reason, 'denied_by_default', number)
    }
  })

  test('checks the number the route produces, not only what was dialled', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const plan = await dialPlan(organization)
    await OutboundRuleFactory.merge({
      organizationId: organization.id,
      kind: 'deny',
      prefix: '+4470',
    }).create()
    const body = (await resolver(client, await tokenFor(owner))('907012345678')).body().data
    assert.deepInclude(body, {
      allowed: false,
      reason: 'denied_by_rule',
      matchedPrefix: '+4470',
      dialledNumber: '+447012345678',
      route: { id: plan.national.id, name: 'National' },
    })
  })

  test('whitelist mode: only allowed destinations pass, and an allow opens a default range', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    await dialPlan(organization)
    const org = { organizationId: organization.id }
    await OutboundRuleFactory.merge({ ...org, kind: 'allow', prefix: '+44' }).create()
    await OutboundRuleFactory.merge({ ...org, kind: 'allow', prefix: '+1900' }).create()
    const resolve = resolver(client, await tokenFor(owner))

    assert.deepInclude((await resolve('+442079460000')).body().data, {
      allowed: true,
      reason: 'allowed_by_rule',
      matchedPrefix: '+44',
    })
    assert.deepInclude((await resolve('+33123456789')).body().data, {
      allowed: false,
      reason: 'not_whitelisted',
    })
    assert.deepInclude((await resolve('+19005551234')).body().data, {
      allowed: true,
      reason: 'allowed_by_rule',
      matchedPrefix: '+1900',
    })
  })

  test('a route whose trunks are all disabled cannot carry the call', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const plan = await dialPlan(organization)
    await plan.a.merge({ enabled: false }).save()
    const body = (await resolver(client, await tokenFor(owner))('902079460000')).body().data
    assert.deepInclude(body, { allowed: false, reason: 'no_enabled_trunk', trunks: [] })
  })

  test('answers 422 for a malformed number', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const resolve = resolver(client, await tokenFor(owner))
    for (const number of ['', '1', 'abc', '+44 20 x', '12345678901234567890123', 4420, null]) {
      const response = await resolve(number)
      assert.equal(response.status(), 422, String(number))
      assert.equal(response.body().error.details.fields[0].field, 'number')
    }
  })
})
