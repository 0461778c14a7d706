import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import storage from '#services/storage/storage'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'

test.group('Voicemail messages', (group) => {
  isolate(group)

  test('lists an extension’s messages newest first, paginated and filtered by read state', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const other = await makeExtension(organization)
    const now = DateTime.now()
    const messages = []
    for (let i = 0; i < 4; i++) {
      messages.push(
        await makeVoicemail(extension, {
          receivedAt: now.minus({ minutes: i }),
          readAt: i % 2 === 0 ? now : null,
          callerNumber: `+1555010${i}`,
        }),
      )
    }
    await makeVoicemail(other)
    const token = await tokenFor(owner)
    const url = `/api/v1/extensions/${extension.id}/voicemail-messages`
    const ids = async (qs: Record<string, unknown>) =>
      (await client.get(url).qs(qs).bearerToken(token)).body().data.map((m: { id: number }) => m.id)

    const page = await client.get(url).qs({ perPage: 3 }).bearerToken(token)
    page.assertStatus(200)
    assert.deepInclude(page.body().meta, { total: 4, perPage: 3, page: 1, lastPage: 2 })
    assert.deepEqual(
      page.body().data.map((m: { id: number }) => m.id),
      messages.slice(0, 3).map((m) => m.id),
    )
    assert.notProperty(page.body().data[0], 'audioKey')
    assert.deepEqual(await ids({ read: false }), [messages[1].id, messages[3].id])
    assert.deepEqual(await ids({ read: true }), [messages[0].id, messages[2].id])
    assert.deepEqual(await ids({ sort: 'received_at' }), messages.map((m) => m.id).reverse())
    assert.deepEqual(await ids({ search: '5550103' }), [messages[3].id])
    ;(await client.get(url).qs({ sort: 'audio_key' }).bearerToken(token)).assertStatus(422)
    ;(await client.get(url).qs({ read: 'sometimes' }).bearerToken(token)).assertStatus(422)
  })

  test('marks a message read and unread, audited', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    const message = await makeVoicemail(await makeExtension(organization))
    const token = await tokenFor(admin)
    const read = await client
      .patch(`/api/v1/voicemail-messages/${message.id}`)
      .bearerToken(token)
      .json({ read: true })
    read.assertStatus(200)
    assert.isTrue(read.body().data.read)
    assert.isString(read.body().data.readAt)
    const unread = await client
      .patch(`/api/v1/voicemail-messages/${message.id}`)
      .bearerToken(token)
      .json({ read: false })
    assert.isFalse(unread.body().data.read)
    const invalid = await client
      .patch(`/api/v1/voicemail-messages/${message.id}`)
      .bearerToken(token)
      .json({})
    invalid.assertStatus(422)
    assert.equal(invalid.body().error.details.fields[0].field, 'read')
    const audits = await AuditLog.query()
      .where('action', 'voicemail_message.updated')
      .where('subject_id', String(message.id))
    assert.lengthOf(audits, 2)
  })

  test('soft-deletes and restores a message', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const message = await makeVoicemail(extension)
    const token = await tokenFor(owner)
    ;(
      await client.delete(`/api/v1/voicemail-messages/${message.id}`).bearerToken(token)
    ).assertStatus(204)
    const raw = await db.from('voicemail_messages').where('id', message.id).firstOrFail()
    assert.isNotNull(raw.deleted_at)
    const url = `/api/v1/extensions/${extension.id}/voicemail-messages`
    assert.lengthOf((await client.get(url).bearerToken(token)).body().data, 0)
    assert.lengthOf(
      (await client.get(url).qs({ trashed: 'only' }).bearerToken(token)).body().data,
      1,
    )
    ;(
      await client.get(`/api/v1/voicemail-messages/${message.id}/audio`).bearerToken(token)
    ).assertStatus(404)
    const restored = await client
      .post(`/api/v1/voicemail-messages/${message.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    assert.lengthOf((await client.get(url).bearerToken(token)).body().data, 1)
    ;(
      await client.post(`/api/v1/voicemail-messages/${message.id}/restore`).bearerToken(token)
    ).assertStatus(404)
  })

  test('signs a 10-minute URL that streams the audio', async ({ client, assert, cleanup }) => {
    const { user, organization } = await createTenant()
    const extension = await makeExtension(organization, { userId: user.id })
    const message = await makeVoicemail(extension)
    cleanup(() => storage.delete(message.audioKey))
    const response = await client
      .get(`/api/v1/voicemail-messages/${message.id}/audio`)
      .bearerToken(await tokenFor(user))
    response.assertStatus(200)
    const { url, expiresAt } = response.body().data
    const minutes = DateTime.fromISO(expiresAt).diffNow('minutes').minutes
    assert.isAbove(minutes, 9)
    assert.isAtMost(minutes, 10)
    const audio = await client.get(new URL(url).pathname)
    audio.assertStatus(200)
    assert.equal(audio.header('content-type'), 'audio/wav')
    assert.equal(audio.text() || String(audio.body()), `RIFF----WAVEvoicemail-${extension.id}`)
  })

  test('a PBX user reaches only their own voicemail; reporters none', async ({ client }) => {
    const { user, reporter, admin, organization } = await createTenant()
    const own = await makeVoicemail(await makeExtension(organization, { userId: user.id }))
    const others = await makeVoicemail(await makeExtension(organization, { userId: admin.id }))
    const requests = (id: number) => [
      client.patch(`/api/v1/voicemail-messages/${id}`).json({ read: true }),
      client.get(`/api/v1/voicemail-messages/${id}/audio`),
      client.delete(`/api/v1/voicemail-messages/${id}`),
    ]
    const userToken = await tokenFor(user)
    for (const request of requests(others.id))
      (await request.bearerToken(userToken)).assertStatus(403)
    for (const request of requests(own.id)) {
      const response = await request.bearerToken(userToken)
      if (response.status() !== 204) response.assertStatus(200)
    }
    ;(
      await client.post(`/api/v1/voicemail-messages/${own.id}/restore`).bearerToken(userToken)
    ).assertStatus(200)
    ;(
      await client
        .get(`/api/v1/extensions/${own.extensionId}/voicemail-messages`)
        .bearerToken(userToken)
    ).assertStatus(200)
    const reporterToken = await tokenFor(reporter)
    for (const request of requests(own.id))
      (await request.bearerToken(reporterToken)).assertStatus(403)
  })

  test('lists with the same number of queries for 5 and for 50 messages', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const list = () =>
      client
        .get(`/api/v1/extensions/${extension.id}/voicemail-messages`)
        .qs({ perPage: 100 })
        .bearerToken(token)
    await list()
    for (let i = 0; i < 5; i++) await makeVoicemail(extension)
    const few = await countQueries(list)
    for (let i = 0; i < 45; i++) await makeVoicemail(extension)
    const many = await countQueries(list)
    assert.equal((await list()).body().meta.total, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  }).timeout(30_000)
})
