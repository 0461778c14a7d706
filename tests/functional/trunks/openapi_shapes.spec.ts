import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

type Property = { type?: string | string[]; enum?: unknown[]; oneOf?: Property[] }
type Schema = { properties: Record<string, Property> }

function typeOf(value: unknown) {
  if (value === null) return 'null'
  if (Number.isInteger(value)) return 'integer'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function accepts(property: Property, value: unknown): boolean {
  if (property.oneOf) return property.oneOf.some((option) => accepts(option, value))
  if (property.enum) return property.enum.includes(value)
  const types = [property.type ?? []].flat()
  const actual = typeOf(value)
  return types.includes(actual) || (actual === 'integer' && types.includes('number'))
}

/** Every key returned is documented with a matching type, and every documented key returned. */
function assertMatches(assert: Assert, schema: Schema, data: Record<string, unknown>) {
  assert.sameMembers(Object.keys(data), Object.keys(schema.properties))
  for (const [key, value] of Object.entries(data))
    assert.isTrue(accepts(schema.properties[key], value), `${key}: ${JSON.stringify(value)}`)
}

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
    assertMatches(assert, schemas.Trunk, trunk.body().data)
    const ipTrunk = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ name: 'IP', kind: 'ip', allowedCidrs: ['192.0.2.0/24'], maxChannels: 10 })
    for (const row of (await client.get('/api/v1/trunks').bearerToken(token)).body().data)
      assertMatches(assert, schemas.Trunk, row)

    const route = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({ name: 'All', prefix: '+', trunkIds: [ipTrunk.body().data.id, trunk.body().data.id] })
    assertMatches(assert, schemas.OutboundRoute, route.body().data)
    const routes = await client.get('/api/v1/outbound-routes').bearerToken(token)
    assertMatches(assert, schemas.OutboundRoute, routes.body().data[0])

    const rule = await client
      .post('/api/v1/outbound-rules')
      .bearerToken(token)
      .json({ kind: 'deny', prefix: '+53' })
    assertMatches(assert, schemas.OutboundRule, rule.body().data)

    for (const number of ['+442079460000', '+5312345678', '12345']) {
      const resolved = await client
        .post('/api/v1/outbound-routes/resolve')
        .bearerToken(token)
        .json({ number })
      assertMatches(assert, schemas.OutboundResolution, resolved.body().data)
    }
  })
})
