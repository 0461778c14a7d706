import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import storage from '#services/storage/storage'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { mp3File, removeStored, wavFile } from '#tests/functional/recordings/helpers'

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

test.group('Recordings: uploads', (group) => {
  isolate(group)

  test('uploads a WAV: stored per tenant, duration from the header, audited', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { admin, organization } = await createTenant()
    cleanup(() => removeStored(organization.id))
    const audio = wavFile(2.5)
    const response = await client
      .post('/api/v1/recordings')
      .bearerToken(await tokenFor(admin))
      .field('name', 'Welcome')
      .file('file', audio, { filename: 'welcome.WAV', contentType: 'text/plain' })
    response.assertStatus(201)
    const data = response.body().data
    assert.containsSubset(data, {
      name: 'Welcome',
      kind: 'upload',
      status: 'active',
      originalFilename: 'welcome.WAV',
      mimeType: 'audio/wav',
      size: audio.length,
      durationSeconds: 2.5,
      remoteUrl: null,
      createdBy: admin.id,
      updatedBy: admin.id,
    })
    assert.notProperty(data, 'storageKey')

    const raw = await db.from('recordings').where('id', data.id).firstOrFail()
    assert.match(raw.storage_key, new RegExp(`^${organization.id}/prompts/[0-9a-f-]{36}\\.wav$`))
    assert.notInclude(response.text(), raw.storage_key)
    assert.equal(await storage.size(raw.storage_key), audio.length)
    const audit = await AuditLog.query()
      .where('action', 'recording.created')
      .where('subject_id', String(data.id))
      .firstOrFail()
    assert.equal(audit.organizationId, organization.id)
  })

  test('uploads MP3 files with an ID3 tag or a bare MPEG frame', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { owner, organization } = await createTenant()
    cleanup(() => removeStored(organization.id))
    const token = await tokenFor(owner)
    for (const [filename, audio] of [
      ['tagged.mp3', mp3File()],
      ['bare.mp3', mp3File(true)],
    ] as const) {
      const response = await client
        .post('/api/v1/recordings')
        .bearerToken(token)
        .field('name', filename)
        .file('file', audio, { filename })
      response.assertStatus(201)
      assert.containsSubset(response.body().data, {
        mimeType: 'audio/mpeg',
        size: audio.length,
        durationSeconds: null,
      })
    }
  })

  test('judges files by their bytes, not their name or MIME type', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const cases: [string, Buffer, string][] = [
      ['fake.wav', Buffer.from('<?php system($_GET["c"]); ?>'), 'audio/wav'],
      ['fake.mp3', Buffer.from('<script>alert(1)</script>'), 'audio/mpeg'],
      ['riff.wav', Buffer.from('RIFF\x00\x00\x00\x00AVI LIST'), 'audio/wav'],
      ['swapped.mp3', wavFile(0.1), 'audio/mpeg'],
      ['swapped.wav', mp3File(), 'audio/wav'],
      ['empty.wav', Buffer.alloc(0), 'audio/wav'],
      ['audio.ogg', Buffer.from('OggS\x00\x02'), 'audio/ogg'],
      ['real.txt', wavFile(0.1), 'audio/wav'],
    ]
    for (const [filename, bytes, contentType] of cases) {
      const response = await client
        .post('/api/v1/recordings')
        .bearerToken(token)
        .field('name', 'Bad')
        .file('file', bytes, { filename, contentType })
      assert.equal(response.status(), 422, filename)
      assert.deepEqual(fieldsOf(response.body()), ['file'], filename)
    }
    const missing = await client
      .post('/api/v1/recordings')
      .bearerToken(token)
      .field('name', 'No file')
    missing.assertStatus(422)
    const noName = await client
      .post('/api/v1/recordings')
      .bearerToken(token)
      .file('file', wavFile(0.1), { filename: 'a.wav' })
    noName.assertStatus(422)
    assert.deepEqual(fieldsOf(noName.body()), ['name'])
    assert.equal(
      await db
        .from('recordings')
        .count('* as n')
        .first()
        .then((r) => +r.n),
      0,
    )
  })

  test('refuses files over 20 MB', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const big = wavFile((21 * 1024 * 1024) / 16000)
    const response = await client
      .post('/api/v1/recordings')
      .bearerToken(await tokenFor(owner))
      .field('name', 'Too big')
      .file('file', big, { filename: 'big.wav' })
    // The body parser's 20 MB request limit answers before the validator's own 20 MB rule.
    response.assertStatus(413)
    assert.equal(response.body().error.code, 'E_REQUEST_ENTITY_TOO_LARGE')
    assert.equal(
      await db
        .from('recordings')
        .count('* as n')
        .first()
        .then((r) => +r.n),
      0,
    )
  }).timeout(60_000)

  test('an upload is only reachable through its signed, expiring URL', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { owner, user, organization } = await createTenant()
    cleanup(() => removeStored(organization.id))
    const audio = wavFile(0.5)
    const created = await client
      .post('/api/v1/recordings')
      .bearerToken(await tokenFor(owner))
      .field('name', 'Hold')
      .file('file', audio, { filename: 'hold.wav' })
    const id = created.body().data.id

    const before = Date.now()
    const response = await client
      .get(`/api/v1/recordings/${id}/url`)
      .bearerToken(await tokenFor(user))
    response.assertStatus(200)
    const { url, expiresAt } = response.body().data
    const lifetime = Date.parse(expiresAt) - before
    assert.isAtLeast(lifetime, 9 * 60_000)
    assert.isAtMost(lifetime, 10 * 60_000 + 5_000)
    const path = new URL(url).pathname
    assert.match(path, /^\/files\//)

    const file = await client.get(path)
    file.assertStatus(200)
    assert.equal(file.header('content-type'), 'audio/wav')
    assert.equal(Number(file.header('content-length')), audio.length)

    ;(await client.get(`/api/v1/recordings/${id}/url`)).assertStatus(401)
  })
})
