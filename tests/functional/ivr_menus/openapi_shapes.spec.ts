import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { makeMenu } from '#tests/functional/ivr_menus/helpers'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

test.group('IVR menu responses match the OpenAPI document', (group) => {
  isolate(group)

  test('create, list, show, update and restore', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const recording = await makeRecording(organization)
    const extension = await makeExtension(organization)
    const trashed = await makeMenu(organization, { deletedAt: recording.createdAt })

    const created = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(token)
      .json({
        name: 'Main',
        prompt: { recordingId: recording.id },
        invalidPrompt: { ttsText: 'No such option', ttsLanguage: 'en-GB' },
        options: [
          { digit: '1', target: { type: 'extension', id: extension.id } },
          { digit: '#', target: { type: 'hangup' } },
        ],
      })
    created.assertStatus(201)
    assertMatchesSchema(assert, schemas.IvrMenu, created.body().data)
    const id = created.body().data.id
    const listed = await client.get('/api/v1/ivr-menus').bearerToken(token)
    for (const row of listed.body().data) assertMatchesSchema(assert, schemas.IvrMenu, row)
    const shown = await client.get(`/api/v1/ivr-menus/${id}`).bearerToken(token)
    assertMatchesSchema(assert, schemas.IvrMenu, shown.body().data)
    const updated = await client
      .patch(`/api/v1/ivr-menus/${id}`)
      .bearerToken(token)
      .json({ invalidPrompt: null })
    assertMatchesSchema(assert, schemas.IvrMenu, updated.body().data)
    const restored = await client.post(`/api/v1/ivr-menus/${trashed.id}/restore`).bearerToken(token)
    restored.assertStatus(200)
    assertMatchesSchema(assert, schemas.IvrMenu, restored.body().data)
  })
})
