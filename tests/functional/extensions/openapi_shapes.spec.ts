import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import storage from '#services/storage/storage'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

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
    assertMatchesSchema(assert, schemas.Extension, created.body().data)
    const listed = await client.get('/api/v1/extensions').bearerToken(token)
    for (const row of listed.body().data)
      assertMatchesSchema(assert, schemas.Extension, row, ['sipPassword'])

    const box = `/api/v1/extensions/${extension.id}/voicemail-box`
    assertMatchesSchema(
      assert,
      schemas.VoicemailBox,
      (await client.get(box).bearerToken(token)).body().data,
    )
    const saved = await client.put(box).bearerToken(token).json({ pin: '2468' })
    assertMatchesSchema(assert, schemas.VoicemailBox, saved.body().data)

    const messages = await client
      .get(`/api/v1/extensions/${extension.id}/voicemail-messages`)
      .bearerToken(token)
    assertMatchesSchema(assert, schemas.VoicemailMessage, messages.body().data[0])
    const audio = await client
      .get(`/api/v1/voicemail-messages/${message.id}/audio`)
      .bearerToken(token)
    assert.sameMembers(Object.keys(audio.body().data), ['url', 'expiresAt'])
  })
})
