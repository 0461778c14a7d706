import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup } from '#tests/functional/ring_groups/support'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

test.group('Ring group responses match the OpenAPI document', (group) => {
  isolate(group)

  test('create, list, show, update and restore', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const member = await makeExtension(organization)
    const binned = await makeRingGroup(organization, [member])
    await binned.merge({ deletedAt: binned.createdAt }).save()

    const created = await client
      .post('/api/v1/ring-groups')
      .bearerToken(token)
      .json({
        name: 'Sales',
        fallbackAction: 'extension',
        fallbackTargetId: member.id,
        members: [{ extensionId: member.id, priority: 1 }],
      })
    const id = created.body().data.id
    const responses = [
      created.body().data,
      (await client.get(`/api/v1/ring-groups/${id}`).bearerToken(token)).body().data,
      ...(await client.get('/api/v1/ring-groups').bearerToken(token)).body().data,
      (
        await client.patch(`/api/v1/ring-groups/${id}`).bearerToken(token).json({ timeout: 40 })
      ).body().data,
      (await client.post(`/api/v1/ring-groups/${binned.id}/restore`).bearerToken(token)).body()
        .data,
    ]
    assert.lengthOf(responses, 5)
    for (const data of responses) assertMatchesSchema(assert, schemas.RingGroup, data)
  })
})
