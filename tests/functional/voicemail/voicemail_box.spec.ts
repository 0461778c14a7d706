import { test } from '@japa/runner'
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import storage from '#services/storage/storage'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'

/*
 * The file type comes from the content where it can be detected (ID3 → mp3), else from
 * the name; the RIFF/WAVE check then refuses anything else that claims to be a WAV.
 */
/** A minimal RIFF/WAVE header followed by `size` bytes of silence. */
function wav(size = 64) {
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + size, 4)
  header.write('WAVE', 8, 'ascii')
  header.write('fmt ', 12, 'ascii')
  return Buffer.concat([header, Buffer.alloc(size)])
}

async function tempFile(name: string, content: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'opbx-greeting-'))
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

test.group('Voicemail boxes', (group) => {
  isolate(group)

  test('shows the defaults until saved, with the assigned user email', async ({
    client,
    assert,
  }) => {
    const { reporter, user, organization } = await createTenant()
    const extension = await makeExtension(organization, { userId: user.id })
    const response = await client
      .get(`/api/v1/extensions/${extension.id}/voicemail-box`)
      .bearerToken(await tokenFor(reporter))
    response.assertStatus(200)
    assert.deepInclude(response.body().data, {
      id: null,
      extensionId: extension.id,
      pinSet: false,
      email: user.email,
      notify: true,
      attachAudio: false,
      retentionDays: 90,
      maxMessages: 50,
      hasGreeting: false,
    })
  })

  test('saves the box with the PIN hashed, never returned, audited masked', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(admin)
    const url = `/api/v1/extensions/${extension.id}/voicemail-box`
    const saved = await client.put(url).bearerToken(token).json({
      pin: '482913',
      email: 'desk@example.test',
      attachAudio: true,
      retentionDays: 30,
      maxMessages: 100,
    })
    saved.assertStatus(200)
    assert.notInclude(saved.text(), '482913')
    assert.deepInclude(saved.body().data, {
      pinSet: true,
      email: 'desk@example.test',
      attachAudio: true,
      retentionDays: 30,
      maxMessages: 100,
    })
    const raw = await db.from('voicemail_boxes').where('extension_id', extension.id).firstOrFail()
    assert.notInclude(raw.pin_hash, '482913')
    assert.isTrue(await hash.verify(raw.pin_hash, '482913'))

    const again = await client.put(url).bearerToken(token).json({ notify: false })
    again.assertStatus(200)
    assert.equal(again.body().data.id, saved.body().data.id)
    assert.isTrue(again.body().data.pinSet)
    assert.equal(again.body().data.retentionDays, 30)
    const shown = await client.get(url).bearerToken(token)
    assert.isFalse(shown.body().data.notify)
    assert.notInclude(shown.text(), raw.pin_hash)

    const cleared = await client.put(url).bearerToken(token).json({ pin: null })
    assert.isFalse(cleared.body().data.pinSet)
    const audits = await AuditLog.query().where('action', 'voicemail_box.updated')
    assert.lengthOf(audits, 3)
    assert.notInclude(JSON.stringify(audits.map((a) => [a.before, a.after])), raw.pin_hash)
  })

  test('refuses invalid box settings with field errors', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const cases: [Record<string, unknown>, string][] = [
      [{ pin: '123' }, 'pin'],
      [{ pin: '12345678901' }, 'pin'],
      [{ pin: '12ab' }, 'pin'],
      [{ email: 'not-an-email' }, 'email'],
      [{ retentionDays: 0 }, 'retentionDays'],
      [{ retentionDays: 366 }, 'retentionDays'],
      [{ maxMessages: 0 }, 'maxMessages'],
      [{ notify: 'maybe' }, 'notify'],
    ]
    for (const [body, field] of cases) {
      const response = await client
        .put(`/api/v1/extensions/${extension.id}/voicemail-box`)
        .bearerToken(token)
        .json(body)
      response.assertStatus(422)
      assert.equal(response.body().error.details.fields[0].field, field, JSON.stringify(body))
    }
  })

  test('uploads a WAV greeting into tenant storage and replaces the previous one', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const url = `/api/v1/extensions/${extension.id}/voicemail-box/greeting`
    const first = await client
      .put(url)
      .bearerToken(token)
      .file('greeting', await tempFile('hello.wav', wav()))
    first.assertStatus(200)
    assert.isTrue(first.body().data.hasGreeting)
    const { greeting_key: firstKey } = await db
      .from('voicemail_boxes')
      .where('extension_id', extension.id)
      .firstOrFail()
    assert.match(firstKey, new RegExp(`^${organization.id}/greetings/[0-9a-f-]{36}\\.wav$`))
    assert.equal(await storage.size(firstKey), 108)

    const second = await client
      .put(url)
      .bearerToken(token)
      .file('greeting', await tempFile('again.wav', wav(10)))
    second.assertStatus(200)
    const { greeting_key: secondKey } = await db
      .from('voicemail_boxes')
      .where('extension_id', extension.id)
      .firstOrFail()
    cleanup(() => storage.delete(secondKey))
    assert.notEqual(secondKey, firstKey)
    assert.isNull(await storage.size(firstKey))
    assert.equal(await storage.size(secondKey), 54)
  })

  test('refuses greetings that are not WAV or are larger than 5 MB', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const url = `/api/v1/extensions/${extension.id}/voicemail-box/greeting`
    const uploads = [
      await tempFile('fake.wav', Buffer.from('ID3\u0003this is an mp3 really')),
      await tempFile('text.wav', Buffer.from('just some text pretending to be audio')),
      await tempFile('notes.txt', Buffer.from('plain text')),
      await tempFile('huge.wav', wav(5 * 1024 * 1024)),
    ]
    for (const path of uploads) {
      const response = await client.put(url).bearerToken(token).file('greeting', path)
      response.assertStatus(422)
      assert.equal(response.body().error.details.fields[0].field, 'greeting', path)
    }
    ;(await client.put(url).bearerToken(token)).assertStatus(422)
    const box = await db.from('voicemail_boxes').where('extension_id', extension.id).first()
    assert.isNull(box)
  })

  test('a PBX user uploads a greeting for their own extension only', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { user, admin, reporter, organization } = await createTenant()
    const own = await makeExtension(organization, { userId: user.id })
    const others = await makeExtension(organization, { userId: admin.id })
    const path = await tempFile('mine.wav', wav())
    const upload = (extensionId: number, token: string) =>
      client
        .put(`/api/v1/extensions/${extensionId}/voicemail-box/greeting`)
        .bearerToken(token)
        .file('greeting', path)
    const userToken = await tokenFor(user)
    ;(await upload(others.id, userToken)).assertStatus(403)
    ;(await upload(own.id, await tokenFor(reporter))).assertStatus(403)
    const mine = await upload(own.id, userToken)
    mine.assertStatus(200)
    const { greeting_key: key } = await db
      .from('voicemail_boxes')
      .where('extension_id', own.id)
      .firstOrFail()
    cleanup(() => storage.delete(key))
    assert.isTrue(mine.body().data.hasGreeting)
    assert.isNull(await db.from('voicemail_boxes').where('extension_id', others.id).first())
  })
})
