import { test } from '@japa/runner'
import env from '#start/env'
import VoicemailMessage from '#models/voicemail_message'
import { createTenant, isolate } from '#tests/helpers'
import { makeDid, makeExtension, voice } from '#tests/functional/voice/support'
import { AppRecordingUploader } from '../../voip-edge/src/media/recording_store.js'
import { wavFile } from '../../voip-edge/src/media/audio.js'

/*
 * A recording the edge uploaded for organization B is B's file: handing its URL to
 * organization A's voicemail action stores nothing for A (and nothing for B either).
 */
test.group('Tenancy: edge recordings', (group) => {
  isolate(group)

  test("another organization's uploaded recording never becomes a voicemail message", async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extension = await makeExtension(a.organization, { voicemailEnabled: true })
    const to = await makeDid(a.organization, 'voicemail', extension.id)
    const uploader = new AppRecordingUploader({
      appBaseUrl: `http://127.0.0.1:${env.get('PORT')}`,
      signingSecret: env.get('VOIP_EDGE_SIGNING_SECRET')!.release(),
      limits: { connectTimeoutMs: 3000, totalTimeoutMs: 8000, maxBytes: 1 },
    })
    const theirs = await uploader.publish(wavFile(new Int16Array(8000).fill(3000)), {
      organizationId: String(b.organization.id),
      callId: 'b-call',
      domain: b.organization.sipDomain,
      durationSec: 1,
    })
    const done = await voice(`/api/voice/voicemail-complete?extension=${extension.id}`, {
      To: to,
      RecordingUrl: theirs,
      RecordingDuration: '1',
    })
    assert.equal(done.status, 200)
    for (const organization of [a.organization, b.organization]) {
      const rows = await VoicemailMessage.query().withScopes((scopes) =>
        scopes.forOrganization(organization),
      )
      assert.lengthOf(rows, 0)
    }
  })
})
