import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import { schemaProblems } from '#tests/support/openapi_shape'

test.group('Settings-area responses match the OpenAPI document', (group) => {
  isolate(group)

  test('settings, secrets, call logs, CDRs and profile', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const matches = (assertion: Assert, name: string, value: unknown) =>
      assertion.deepEqual(schemaProblems(schemas[name], value), [], name)

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

    const desk = await makeExtension(organization)
    const [logId] = await insertCallLogs(organization.id, 2, { extension_id: desk.id })
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
