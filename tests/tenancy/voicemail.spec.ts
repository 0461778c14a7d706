import { test } from '@japa/runner'
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import storage from '#services/storage/storage'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'

/*
 * Voicemail boxes and messages of organization B are invisible to organization A's owner:
 * every endpoint answers 404 and nothing of B changes.
 */
test.group('Tenancy: voicemail endpoints', (group) => {
  isolate(group)

  test("every voicemail endpoint answers 404 for another organization's ids", async ({
    client,
    assert,
    cleanup,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extension = await makeExtension(b.organization, { userId: b.user.id })
    const message = await makeVoicemail(extension)
    const trashed = await makeVoicemail(extension)
    await trashed.merge({ deletedAt: trashed.createdAt }).save()
    cleanup(async () => {
      await storage.delete(message.audioKey)
      await storage.delete(trashed.audioKey)
    })
    const dir = await mkdtemp(join(tmpdir(), 'opbx-tenancy-'))
    const wav = join(dir, 'greeting.wav')
    await writeFile(
      wav,
      Buffer.concat([Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE'), Buffer.alloc(32)]),
    )

    const token = await tokenFor(a.owner)
    const requests = [
      client.get(`/api/v1/extensions/${extension.id}/voicemail-box`),
      client.put(`/api/v1/extensions/${extension.id}/voicemail-box`).json({ pin: '1234' }),
      client.put(`/api/v1/extensions/${extension.id}/voicemail-box/greeting`).file('greeting', wav),
      client.get(`/api/v1/extensions/${extension.id}/voicemail-messages`),
      client.patch(`/api/v1/voicemail-messages/${message.id}`).json({ read: true }),
      client.delete(`/api/v1/voicemail-messages/${message.id}`),
      client.post(`/api/v1/voicemail-messages/${trashed.id}/restore`),
      client.get(`/api/v1/voicemail-messages/${message.id}/audio`),
    ]
    await assertEachNotFound(assert, requests, token, ['files/'])
    assert.isNull(await db.from('voicemail_boxes').where('extension_id', extension.id).first())
    const raw = await db.from('voicemail_messages').where('id', message.id).firstOrFail()
    assert.isNull(raw.read_at)
    assert.isNull(raw.deleted_at)
    const trashedRaw = await db.from('voicemail_messages').where('id', trashed.id).firstOrFail()
    assert.isNotNull(trashedRaw.deleted_at)
  })

  test("a message's list never shows another organization's messages", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const own = await makeExtension(a.organization)
    const mine = await makeVoicemail(own)
    await makeVoicemail(await makeExtension(b.organization))
    const response = await client
      .get(`/api/v1/extensions/${own.id}/voicemail-messages`)
      .qs({ trashed: 'with', perPage: 100 })
      .bearerToken(await tokenFor(a.owner))
    assert.deepEqual(
      response.body().data.map((m: { id: number }) => m.id),
      [mine.id],
    )
  })
})
