import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

test.group('Media responses match the OpenAPI document', (group) => {
  isolate(group)

  test('conference rooms, recordings and playback URLs', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    await makeRoom(organization, { pin: '1234', description: 'Weekly' })
    const recording = await makeRecording(organization)

    const rooms = await client.get('/api/v1/conference-rooms').bearerToken(token)
    assertMatchesSchema(assert, schemas.ConferenceRoom, rooms.body().data[0])
    const created = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ number: '55', name: 'Fresh' })
    assertMatchesSchema(assert, schemas.ConferenceRoom, created.body().data)

    const recordings = await client.get('/api/v1/recordings').bearerToken(token)
    assertMatchesSchema(assert, schemas.Recording, recordings.body().data[0])
    const url = await client.get(`/api/v1/recordings/${recording.id}/url`).bearerToken(token)
    assertMatchesSchema(assert, schemas.RecordingUrl, url.body().data)
  })
})
