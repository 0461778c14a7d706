import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import storage from '#services/storage/storage'

type Property = { type?: string | string[]; enum?: unknown[] }
type Schema = { properties: Record<string, Property> }

function typeOf(value: unknown) {
  if (value === null) return 'null'
  if (Number.isInteger(value)) return 'integer'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/**
 * Every key returned is documented with a matching type or enum, and every documented key
 * is returned, except those documented as appearing only in some responses (`optional`).
 */
function assertMatches(
  assert: Assert,
  schema: Schema,
  data: Record<string, unknown>,
  optional: string[] = [],
) {
  const documented = Object.keys(schema.properties)
  for (const key of Object.keys(data)) assert.include(documented, key, `${key} is undocumented`)
  for (const key of documented.filter((k) => !optional.includes(k)))
    assert.property(data, key, `${key} is documented but missing`)
  for (const [key, value] of Object.entries(data)) {
    const property = schema.properties[key]
    if (property.enum) {
      assert.isTrue(property.enum.includes(value), `${key}: ${String(value)}`)
      continue
    }
    const types = [property.type ?? []].flat()
    const actual = typeOf(value)
    const ok = types.includes(actual) || (actual === 'integer' && types.includes('number'))
    assert.isTrue(ok, `${key}: ${actual} is not ${types.join('|')}`)
  }
}

test.group('Extensions and voicemail responses match the OpenAPI document', (group) => {
  isolate(group)

  test('extensions, voicemail boxes, messages and audio URLs', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { owner, user, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const extension = await makeExtension(organization, { userId: user.id })
    const message = await makeVoicemail(extension)
    cleanup(() => storage.delete(message.audioKey))

    const created = await client
      .post('/api/v1/extensions')
      .bearerToken(token)
      .json({ number: '42', name: 'Desk', type: 'user' })
    assertMatches(assert, schemas.Extension, created.body().data)
    const listed = await client.get('/api/v1/extensions').bearerToken(token)
    for (const row of listed.body().data)
      assertMatches(assert, schemas.Extension, row, ['sipPassword'])

    const box = `/api/v1/extensions/${extension.id}/voicemail-box`
    assertMatches(
      assert,
      schemas.VoicemailBox,
      (await client.get(box).bearerToken(token)).body().data,
    )
    const saved = await client.put(box).bearerToken(token).json({ pin: '2468' })
    assertMatches(assert, schemas.VoicemailBox, saved.body().data)

    const messages = await client
      .get(`/api/v1/extensions/${extension.id}/voicemail-messages`)
      .bearerToken(token)
    assertMatches(assert, schemas.VoicemailMessage, messages.body().data[0])
    const audio = await client
      .get(`/api/v1/voicemail-messages/${message.id}/audio`)
      .bearerToken(token)
    assert.sameMembers(Object.keys(audio.body().data), ['url', 'expiresAt'])
  })
})
