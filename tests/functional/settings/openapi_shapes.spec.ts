import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'

type Schema = {
  type?: string | string[]
  enum?: unknown[]
  oneOf?: Schema[]
  $ref?: string
  required?: string[]
  properties?: Record<string, Schema>
}

function kindOf(value: unknown) {
  if (value === null) return 'null'
  if (Number.isInteger(value)) return 'integer'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/*
 * A small structural check of a response against the served document: required keys
 * present, no undocumented key, types and enums respected, nested objects recursively.
 */
function check(schema: Schema, value: unknown, path: string, problems: string[]) {
  if (schema.oneOf) {
    if (!schema.oneOf.some((s) => validate(s, value).length === 0)) problems.push(path)
    return
  }
  if (schema.enum) {
    if (!schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)}`)
    return
  }
  const kind = kindOf(value)
  const types = [schema.type ?? []].flat()
  if (!types.includes(kind) && !(kind === 'integer' && types.includes('number')))
    problems.push(`${path}: ${kind} is not ${types.join('|')}`)
  if (kind !== 'object' || !schema.properties) return
  const object = value as Record<string, unknown>
  for (const key of schema.required ?? [])
    if (!(key in object)) problems.push(`${path}.${key}: missing`)
  for (const [key, inner] of Object.entries(object)) {
    const property = schema.properties[key]
    if (!property) problems.push(`${path}.${key}: undocumented`)
    else check(property, inner, `${path}.${key}`, problems)
  }
}

function validate(schema: Schema, value: unknown) {
  const problems: string[] = []
  check(schema, value, '$', problems)
  return problems
}

test.group('Settings-area responses match the OpenAPI document', (group) => {
  isolate(group)

  test('settings, secrets, call logs, CDRs and profile', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const matches = (assertion: Assert, name: string, value: unknown) =>
      assertion.deepEqual(validate(schemas[name], value), [], name)

    matches(
      assert,
      'OrganizationSettings',
      (await client.get('/api/v1/settings').bearerToken(token)).body().data,
    )
    const updated = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({ cloudonix: { apiKey: 'XIabcdefghijklmnop', domainName: 'acme.cloudonix.net' } })
    matches(assert, 'OrganizationSettings', updated.body().data)

    const rotate = () => client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
    await rotate()
    const { secret, previous, ...rotated } = (await rotate()).body().data
    assert.isString(secret)
    matches(assert, 'WebhookSecret', rotated)
    matches(assert, 'WebhookSecret', previous)
    for (const row of (
      await client.get('/api/v1/settings/webhook-secrets').bearerToken(token)
    ).body().data)
      matches(assert, 'WebhookSecret', row)

    const [logId] = await insertCallLogs(organization.id, 2, { extension_id: 5 })
    for (const row of (await client.get('/api/v1/call-logs').bearerToken(token)).body().data)
      matches(assert, 'CallLog', row)
    matches(
      assert,
      'CallLog',
      (await client.get(`/api/v1/call-logs/${logId}`).bearerToken(token)).body().data,
    )

    const [cdrId] = await insertCdrs(organization.id, 2)
    for (const row of (await client.get('/api/v1/cdrs').bearerToken(token)).body().data)
      matches(assert, 'Cdr', row)
    matches(
      assert,
      'Cdr',
      (await client.get(`/api/v1/cdrs/${cdrId}`).bearerToken(token)).body().data,
    )

    matches(assert, 'User', (await client.get('/api/v1/profile').bearerToken(token)).body().data)
  })
})
