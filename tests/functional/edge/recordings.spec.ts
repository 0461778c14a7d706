import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import env from '#start/env'
import VoicemailMessage from '#models/voicemail_message'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeDid, makeExtension, only, follow, verbs, voice } from '#tests/functional/voice/support'
import { signedHeaders } from '../../../voip-edge/src/events/signer.js'
import { AppRecordingUploader } from '../../../voip-edge/src/media/recording_store.js'
import { wavDurationMs, wavFile } from '../../../voip-edge/src/media/audio.js'

const SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
const base = () => `http://127.0.0.1:${env.get('PORT')}`

/** A 3 s 440 Hz tone, 8 kHz mono: what voip-edge makes of a caller's G.711 audio. */
function recording(seconds = 3) {
  const samples = new Int16Array(seconds * 8000)
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / 8000) * 8000)
  return wavFile(samples)
}

function uploader(secret = SECRET()) {
  return new AppRecordingUploader({
    appBaseUrl: base(),
    signingSecret: secret,
    limits: { connectTimeoutMs: 3000, totalTimeoutMs: 8000, maxBytes: 1 },
  })
}

/** A hand-made upload, for the refusals the real client never sends. */
function upload(query: string, body: Buffer, options: { digest?: string; secret?: string } = {}) {
  const url = new URL(`/api/edge/recordings?${query}`, base())
  const digest = options.digest ?? createHash('sha256').update(body).digest('hex')
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'audio/wav',
      'x-edge-content-sha256': digest,
      ...signedHeaders(options.secret ?? SECRET(), crypto.randomUUID(), 'POST', url, digest),
    },
  })
}

test.group('Edge recordings (/api/edge/recordings) and voicemail through them', (group) => {
  isolate(group)

  test('a voicemail left through the edge: upload, Record action, then the message and its audio through the API', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true })
    const to = await makeDid(organization, 'voicemail', extension.id)
    const record = only(
      (await voice('/api/voice/route', { To: to, From: '+15550003333' })).root,
      'Record',
    )

    // The edge's own upload client, signed as it signs in production.
    const audio = recording(3)
    const url = await uploader().publish(audio, {
      organizationId: String(organization.id),
      callId: 'call-abc@edge',
      domain: organization.sipDomain,
      durationSec: 3,
    })
    assert.match(url, new RegExp(`^${env.get('APP_URL')}/files/`))

    const done = await follow(record, {
      To: to,
      From: '+15550003333',
      RecordingUrl: url,
      RecordingDuration: '3',
      Digits: 'hangup',
    })
    assert.deepEqual(verbs(done.root), ['Say', 'Hangup'])
    const stored = await VoicemailMessage.query()
      .withScopes((scopes) => scopes.forOrganization(organization))
      .where('extension_id', extension.id)
    assert.lengthOf(stored, 1)
    assert.isTrue(stored[0].audioKey.startsWith(`${organization.id}/recordings/`))

    const token = await tokenFor(owner)
    const list = await client
      .get(`/api/v1/extensions/${extension.id}/voicemail-messages`)
      .bearerToken(token)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    assert.equal(list.body().data[0].callerNumber, '+15550003333')
    assert.equal(list.body().data[0].durationSeconds, 3)
    const link = await client
      .get(`/api/v1/voicemail-messages/${list.body().data[0].id}/audio`)
      .bearerToken(token)
    link.assertStatus(200)
    // APP_URL names the public origin; the test server listens on PORT.
    const signed = new URL(link.body().data.url)
    const file = await fetch(new URL(signed.pathname + signed.search, base()))
    assert.equal(file.status, 200)
    const bytes = Buffer.from(await file.arrayBuffer())
    assert.isTrue(bytes.equals(audio), 'the message plays the uploaded audio')
    assert.equal(wavDurationMs(bytes), 3000)
  })

  test('refusals: wrong secret or signature over another digest 401, body not matching the digest 400, not a WAV 422, bad query 422, unknown or suspended organization 404', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const suspended = await createTenant()
    suspended.organization.status = 'suspended'
    await suspended.organization.save()
    const audio = recording(1)
    const query = `organizationId=${organization.id}&callId=c1`

    const wrongSecret = await upload(query, audio, { secret: 'x'.repeat(40) })
    assert.equal(wrongSecret.status, 401)
    // The signature covers the digest; the digest must be that of the bytes received.
    const otherDigest = await upload(query, audio, { digest: 'a'.repeat(64) })
    assert.equal(otherDigest.status, 400)
    const unsigned = new URL(`/api/edge/recordings?${query}`, base())
    const resigned = await fetch(unsigned, {
      method: 'POST',
      body: audio,
      headers: {
        'content-type': 'audio/wav',
        'x-edge-content-sha256': createHash('sha256').update(audio).digest('hex'),
        ...signedHeaders(SECRET(), crypto.randomUUID(), 'POST', unsigned, 'b'.repeat(64)),
      },
    })
    assert.equal(resigned.status, 401, 'a signature over another digest')

    const notWav = await upload(query, Buffer.from('definitely not audio, but long enough to pass'))
    assert.equal(notWav.status, 422)
    const badQuery = await upload('organizationId=abc&callId=', audio)
    assert.equal(badQuery.status, 422)
    const unknown = await upload('organizationId=999999999&callId=c1', audio)
    assert.equal(unknown.status, 404)
    const inactive = await upload(`organizationId=${suspended.organization.id}&callId=c1`, audio)
    assert.equal(inactive.status, 404)
  })
})
