import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

test.group('Trunks, routes and rules responses match the OpenAPI document', (group) => {
  isolate(group)

  test('create, list and resolve responses', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components

    const trunk = await client.post('/api/v1/trunks').bearerToken(token).json({
      name: 'Carrier',
      kind: 'register',
      host: 'sip.carrier.example',
      username: 'acme',
      password: 'secret-pass-1',
    })
    assertMatchesSchema(assert, schemas.Trunk, trunk.body().data)
    const ipTrunk = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ name: 'IP', kind: 'ip', allowedCidrs: ['192.0.2.0/24'], maxChannels: 10 })
    for (const row of (await client.get('/api/v1/trunks').bearerToken(token)).body().data)
      assertMatchesSchema(assert, schemas.Trunk, row)

    const route = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({ name: 'All', prefix: '+', trunkIds: [ipTrunk.body().data.id, trunk.body().data.id] })
    assertMatchesSchema(assert, schemas.OutboundRoute, route.body().data)
    const routes = await client.get('/api/v1/outbound-routes').bearerToken(token)
    assertMatchesSchema(assert, schemas.OutboundRoute, routes.body().data[0])

    const rule = await client
      .post('/api/v1/outbound-rules')
      .bearerToken(token)
      .json({ kind: 'deny', prefix: '+53' })
    assertMatchesSchema(assert, schemas.OutboundRule, rule.body().data)

    for (const number of ['+442079460000', '+5312345678', '12345']) {
      const resolved = await client
        .post('/api/v1/outbound-routes/resolve')
        .bearerToken(token)
        .json({ number })
      assertMatchesSchema(assert, schemas.OutboundResolution, resolved.body().data)
    }
  })
})
