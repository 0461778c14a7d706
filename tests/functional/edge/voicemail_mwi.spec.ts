/// <reference path="../../../voip-edge/src/types/rtpengine_client.d.ts" />
import { test } from '@japa/runner'
import env from '#start/env'
import queueService from '#services/queue/queue_service'
import VoicemailEmailJob from '#jobs/voicemail_email_job'
import MwiUpdateJob from '#jobs/mwi_update_job'
import { createTenant, isolate } from '#tests/helpers'
import { useSmtpSink } from '#tests/support/smtp_sink'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeDid, voice } from '#tests/functional/voice/support'
import { makeBox, pcmWav, storedRecording } from '#tests/functional/voicemail/support'
import { createEdge, type Edge } from '../../../voip-edge/src/edge.js'
import { parseConfig } from '../../../voip-edge/src/config.js'
import { HttpCredentialStore } from '../../../voip-edge/src/registrar/http_credential_store.js'
import { MwiUac, body } from '../../../voip-edge/tests/support/mwi_uac.js'

/*
 * The voicemail follow-ups across the real pieces: the mailbox owner's phone subscribes to
 * message-summary through an in-process voip-edge (credentials and counts from this app over
 * signed HTTP); a message stored by the voicemail-complete action (what the edge posts after
 * its Record) is emailed to the SMTP sink and lights the phone's lamp through the queued MWI
 * job and the edge's POST /v1/mwi. (The recording itself comes from tests/functional/edge/
 * recordings.spec.ts's path; here the WAV is stored directly.)
 */
test.group('Voicemail follow-ups end to end (app + voip-edge + queue + SMTP)', (group) => {
  isolate(group)
  const sink = useSmtpSink(group)
  group.setup(() => {
    queueService.process([VoicemailEmailJob, MwiUpdateJob], 2)
    return () => queueService.close()
  })

  test('the phone subscribes, a message arrives: email with the WAV and a NOTIFY 1/0', async ({
    assert,
    cleanup,
  }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true, number: '701' })
    await makeBox(extension, { email: 'owner701@example.test', attachAudio: true })

    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
    const base = `http://127.0.0.1:${env.get('PORT')}`
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_APP_BASE_URL: base,
      VOIP_EDGE_CONTROL_PORT: '0',
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:6379/${env.get('REDIS_DB', 0)}`,
      VOIP_EDGE_REDIS_PREFIX: `vm-mwi-e2e:${process.pid}:`,
      VOIP_EDGE_LOG_LEVEL: process.env.E2E_EDGE_LOG ?? 'silent',
    })
    const edge: Edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: base, signingSecret: secret }),
    })
    const bound = await edge.start()
    env.set('VOIP_EDGE_CONTROL_URL', `http://127.0.0.1:${edge.controlPort()}`)
    cleanup(async () => {
      env.set('VOIP_EDGE_CONTROL_URL', '')
      await edge.stop()
    })

    const phone = await MwiUac.open(bound.get('udp')!.port)
    cleanup(async () => phone.close())
    const { final } = await phone.authenticatedSubscribe({
      user: extension.sipUsername!,
      realm: organization.sipDomain,
      password: 'seeded-sip-password-0123456789',
    })
    assert.equal(final.status, 200)
    const initial = await phone.waitForNotify(0, 30_000)
    assert.include(body(initial), 'Messages-Waiting: no')
    assert.include(body(initial), 'Voice-Message: 0/0 (0/0)')

    const wav = pcmWav(2)
    const recording = await storedRecording(organization.id, wav)
    await voice(`/api/voice/voicemail-complete?extension=${extension.id}`, {
      To: await makeDid(organization, 'voicemail', extension.id),
      From: '+15550007777',
      RecordingUrl: recording.url,
      RecordingDuration: '2',
    })

    const lit = await phone.waitForNotify(1, 60_000)
    assert.include(body(lit), 'Messages-Waiting: yes')
    assert.include(
      body(lit),
      `Message-Account: sip:${extension.sipUsername}@${organization.sipDomain}`,
    )
    assert.include(body(lit), 'Voice-Message: 1/0 (0/0)')
    const mail = await sink.waitForRecipient('owner701@example.test', 60_000)
    assert.include(mail.text, 'From: +15550007777')
    assert.isTrue(mail.attachments[0]?.content.equals(wav))
  }).timeout(120_000)
})
