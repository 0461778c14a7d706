import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import { makeRecording, removeStored, wavFile } from '#tests/functional/recordings/helpers'
import type { Role } from '#enums/roles'

const ROLE_USER: Record<Role, keyof Omit<Tenant, 'organization'>> = {
  owner: 'owner',
  pbx_admin: 'admin',
  pbx_user: 'user',
  reporter: 'reporter',
}

/* Every member lists prompts and gets playback URLs; owners and PBX admins change them. */
test.group('Recordings RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'pbx_admin', 'pbx_user', 'reporter'] as Role[]) {
    const manages = role === 'owner' || role === 'pbx_admin'

    test(`${role}: reads and gets URLs, ${manages ? 'may' : 'may not'} change recordings`, async ({
      client,
      assert,
      cleanup,
    }) => {
      const tenant = await createTenant()
      cleanup(() => removeStored(tenant.organization.id))
      const token = await tokenFor(tenant[ROLE_USER[role]])
      const recording = await makeRecording(tenant.organization)
      const deleted = await makeRecording(tenant.organization, { deletedAt: recording.createdAt })

      ;(await client.get('/api/v1/recordings').bearerToken(token)).assertStatus(200)
      ;(await client.get(`/api/v1/recordings/${recording.id}`).bearerToken(token)).assertStatus(200)
      ;(await client.get(`/api/v1/recordings/${recording.id}/url`).bearerToken(token)).assertStatus(
        200,
      )

      const responses = [
        await client
          .post('/api/v1/recordings')
          .bearerToken(token)
          .field('name', 'Upload')
          .file('file', wavFile(0.1), { filename: 'u.wav' }),
        await client
          .post('/api/v1/recordings')
          .bearerToken(token)
          .json({ name: 'Remote', remoteUrl: 'https://93.184.216.34/r.wav' }),
        await client
          .patch(`/api/v1/recordings/${recording.id}`)
          .bearerToken(token)
          .json({ name: 'Changed' }),
        await client.delete(`/api/v1/recordings/${recording.id}`).bearerToken(token),
        await client.post(`/api/v1/recordings/${deleted.id}/restore`).bearerToken(token),
      ]
      assert.deepEqual(
        responses.map((r) => r.status()),
        manages ? [201, 201, 200, 204, 200] : [403, 403, 403, 403, 403],
      )
      if (!manages) {
        await recording.refresh()
        assert.notEqual(recording.name, 'Changed')
        assert.isNull(recording.deletedAt)
      }
    })
  }

  test('nothing without a token, not even the playback URL', async ({ client }) => {
    const { organization } = await createTenant()
    const recording = await makeRecording(organization)
    ;(await client.get('/api/v1/recordings')).assertStatus(401)
    ;(await client.get(`/api/v1/recordings/${recording.id}/url`)).assertStatus(401)
  })
})
