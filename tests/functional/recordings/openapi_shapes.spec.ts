import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'
import { makeRecording } from '#tests/functional/recordings/helpers'

type Schema = { properties: Record<string, { type?: string | string[]; enum?: unknown[] }> }

function typeOf(value: unknown) {
  if (value === null) return 'null'
  if (Number.isInteger(value)) return 'integer'
  return typeof value
}

/** Same keys as the documented schema, and each value of a documented type or enum. */
function assertMatches(assert: Assert, schema: Schema, data: Record<string, unknown>) {
  assert.sameMembers(Object.keys(data), Object.keys(schema.properties))
  for (const [key, property] of Object.entries(schema.properties)) {
    const value = data[key]
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

test.group('Media responses match the OpenAPI document', (group) => {
  isolate(group)

  test('conference rooms, recordings and playback URLs', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    await makeRoom(organization, { pin: '1234', description: 'Weekly' })
    const recording = await makeRecording(organization)

    const rooms = await client.get('/api/v1/conference-rooms').bearerToken(token)
    assertMatches(assert, schemas.ConferenceRoom, rooms.body().data[0])
    const created = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ number: '55', name: 'Fresh' })
    assertMatches(assert, schemas.ConferenceRoom, created.body().data)

    const recordings = await client.get('/api/v1/recordings').bearerToken(token)
    assertMatches(assert, schemas.Recording, recordings.body().data[0])
    const url = await client.get(`/api/v1/recordings/${recording.id}/url`).bearerToken(token)
    assertMatches(assert, schemas.RecordingUrl, url.body().data)
  })
})
