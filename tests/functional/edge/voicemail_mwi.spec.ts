/// <reference path="../../../voip-edge/src/types/rtpengine_client.d.ts" />
import { test } from '@japa/runner'
import env from '#start/env'
import hash from '@adonisjs/core/services/hash'
import { DateTime } from 'luxon'
import VoicemailMessage from '#models/voicemail_message'
import queueService from '#services/queue/queue_service'
import VoicemailEmailJob from '#jobs/voicemail_email_job'
import MwiUpdateJob from '#jobs/mwi_update_job'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { useSmtpSink } from '#tests/support/smtp_sink'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeDid, voice } from '#tests/functional/voice/support'
import { makeBox, pcmWav, storedRecording } from '#tests/functional/voicemail/support'
import { createEdge, type Edge } from '../../../voip-edge/src/edge.js'
import { parseConfig } from '../../../voip-edge/src/config.js'
import { HttpCredentialStore } from '../../../voip-edge/src/registrar/http_credential_store.js'
import { MwiUac, body } from '../../../voip-edge/tests/support/mwi_uac.js'
import { HttpCxmlRouter } from '../../../voip-edge/src/routing/router.js'
import { wavDurationMs } from '../../../voip-edge/src/media/audio.js'
import {
  freeUdpPort,
  startRtpengine,
  type RtpengineProcess,
} from '../../../voip-edge/tests/support/processes.js'
import { runSipp } from '../../../voip-edge/tests/support/sipp.js'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/*
 * The voicemail follow-ups across the real pieces: the mailbox owner's phone subscribes to
 * message-summary through an in-process voip-edge (credentials and counts from this app over
 * signed HTTP); a message stored by the voicemail-complete action (what the edge posts after
 * its Record) is emailed to the SMTP sink and lights the phone's lamp through the queued MWI
 * job and the edge's POST /v1/mwi. (The recording itself comes from tests/functional/edge/
 * recordings.spec.ts's path; here the WAV is stored directly.)
 */
test.group('Voicemail end to end (app + voip-edge + rtpengine + sipp + queue + SMTP)', (group) => {
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

  test('a real call: sipp leaves a 7 s message for 701, found through the API with its WAV, emailed, NOTIFY to 701', async ({
    assert,
    client,
    cleanup,
  }) => {
    const work = mkdtempSync(join(tmpdir(), 'vm-e2e-'))
    const rtpengine: RtpengineProcess = await startRtpengine({
      recordingDir: join(work, 'recordings'),
    })
    cleanup(async () => {
      await rtpengine.stop()
      rmSync(work, { recursive: true, force: true })
    })
    const { organization, owner } = await createTenant()
    const mailbox = await makeExtension(organization, { voicemailEnabled: true, number: '701' })
    await makeExtension(organization, { number: '702' })
    await makeBox(mailbox, { email: 'owner701.call@example.test', attachAudio: true })

    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
    const base = `http://127.0.0.1:${env.get('PORT')}`
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_APP_BASE_URL: base,
      VOIP_EDGE_CONTROL_PORT: '0',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_RECORDING_DIR: join(work, 'recordings'),
      VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:6379/${env.get('REDIS_DB', 0)}`,
      VOIP_EDGE_REDIS_PREFIX: `vm-call-e2e:${process.pid}:`,
      VOIP_EDGE_LOG_LEVEL: process.env.E2E_EDGE_LOG ?? 'silent',
    })
    const edge: Edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: base, signingSecret: secret }),
      router: new HttpCxmlRouter({ baseUrl: base, signingSecret: secret }),
    })
    const bound = await edge.start()
    env.set('VOIP_EDGE_CONTROL_URL', `http://127.0.0.1:${edge.controlPort()}`)
    cleanup(async () => {
      env.set('VOIP_EDGE_CONTROL_URL', '')
      await edge.stop()
    })
    const sipPort = bound.get('udp')!.port

    // 701's phone only subscribes (no registration): the call to 701 is unreachable and
    // goes to voicemail.
    const phone = await MwiUac.open(sipPort)
    cleanup(async () => phone.close())
    const subscribed = await phone.authenticatedSubscribe({
      user: '701',
      realm: organization.sipDomain,
      password: 'seeded-sip-password-0123456789',
    })
    assert.equal(subscribed.final.status, 200)
    assert.include(body(await phone.waitForNotify(0, 30_000)), 'Voice-Message: 0/0 (0/0)')

    const run = await runSipp({
      scenario: 'uac_voicemail_expect_200.xml',
      port: sipPort,
      users: [
        `702;[authentication username=702 password=seeded-sip-password-0123456789];${organization.sipDomain};701`,
      ],
      timeoutMs: 60_000,
    })
    assert.equal(run.code, 0, `caller:\n${run.output}`)

    const lit = await phone.waitForNotify(1, 60_000)
    assert.include(body(lit), 'Messages-Waiting: yes')
    assert.include(body(lit), 'Voice-Message: 1/0 (0/0)')

    const token = await tokenFor(owner)
    const list = await client
      .get(`/api/v1/extensions/${mailbox.id}/voicemail-messages`)
      .bearerToken(token)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    const message = list.body().data[0]
    assert.closeTo(message.durationSeconds, 7, 1)
    const audio = await client
      .get(`/api/v1/voicemail-messages/${message.id}/audio`)
      .bearerToken(token)
    audio.assertStatus(200)
    const signed = new URL(audio.body().data.url)
    const wav = Buffer.from(
      await (await fetch(new URL(signed.pathname + signed.search, base))).arrayBuffer(),
    )
    const seconds = wavDurationMs(wav)! / 1000
    // sipp's g711a.pcap holds 7.08 s of audio.
    assert.closeTo(seconds, 7.08, 1, `recording length ${seconds} s`)

    const mail = await sink.waitForRecipient('owner701.call@example.test', 60_000)
    assert.include(mail.text, 'From: ')
    assert.isTrue(mail.attachments[0]?.content.equals(wav), 'the email carries the same WAV')
  }).timeout(180_000)

  test('a real call to *97: PIN 4321# by RFC 2833, the message is played, 7 deletes it, the lamp goes off', async ({
    assert,
    cleanup,
  }) => {
    const work = mkdtempSync(join(tmpdir(), 'vm-menu-e2e-'))
    const dtmfPort = await freeUdpPort()
    const rtpengine: RtpengineProcess = await startRtpengine({ dtmfLogPort: dtmfPort })
    cleanup(async () => {
      await rtpengine.stop()
      rmSync(work, { recursive: true, force: true })
    })
    const base = `http://127.0.0.1:${env.get('PORT')}`
    // Play fetches the signed /files/ URL from the app: APP_URL must be where it listens.
    const appUrl = env.get('APP_URL')
    env.set('APP_URL', base)
    cleanup(async () => env.set('APP_URL', appUrl))

    const { organization } = await createTenant()
    const mailbox = await makeExtension(organization, { voicemailEnabled: true, number: '801' })
    await makeBox(mailbox, { pinHash: await hash.make('4321') })
    // 10 s of audio: the 7 keyed 12 s after the # lands inside this message's options
    // even when the edge is slow to synthesise the prompts before it.
    const recording = await storedRecording(organization.id, pcmWav(10))
    const message = await VoicemailMessage.create({
      organizationId: organization.id,
      extensionId: mailbox.id,
      callerNumber: '+15550008888',
      callerName: 'Vera',
      durationSeconds: 10,
      audioKey: recording.key,
      audioMime: 'audio/wav',
      receivedAt: DateTime.now(),
    })

    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_APP_BASE_URL: base,
      VOIP_EDGE_CONTROL_PORT: '0',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_DTMF_LISTEN: `127.0.0.1:${dtmfPort}`,
      VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:6379/${env.get('REDIS_DB', 0)}`,
      VOIP_EDGE_REDIS_PREFIX: `vm-menu-e2e:${process.pid}:`,
      VOIP_EDGE_LOG_LEVEL: process.env.E2E_EDGE_LOG ?? 'silent',
    })
    const edge: Edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: base, signingSecret: secret }),
      router: new HttpCxmlRouter({ baseUrl: base, signingSecret: secret }),
    })
    const bound = await edge.start()
    env.set('VOIP_EDGE_CONTROL_URL', `http://127.0.0.1:${edge.controlPort()}`)
    cleanup(async () => {
      env.set('VOIP_EDGE_CONTROL_URL', '')
      await edge.stop()
    })
    const sipPort = bound.get('udp')!.port

    const lamp = await MwiUac.open(sipPort)
    cleanup(async () => lamp.close())
    await lamp.authenticatedSubscribe({
      user: '801',
      realm: organization.sipDomain,
      password: 'seeded-sip-password-0123456789',
    })
    assert.include(body(await lamp.waitForNotify(0, 30_000)), 'Voice-Message: 1/0 (0/0)')

    const run = await runSipp({
      scenario: 'uac_voicemail_menu_edge_hangs_up_expect_200.xml',
      port: sipPort,
      users: [
        `801;[authentication username=801 password=seeded-sip-password-0123456789];${organization.sipDomain};*97;${await freeUdpPort()}`,
      ],
      timeoutMs: 90_000,
    })
    assert.equal(run.code, 0, `caller:\n${run.output}`)

    await message.refresh()
    assert.isNotNull(message.readAt, 'the message was played')
    assert.isNotNull(message.deletedAt, '7 deleted it')
    // The message audio was fetched from the app for <Play> (the edge caches what it plays).
    assert.isAtLeast(readdirSync(join(work, 'cache', 'play')).length, 1)
    // The deletion's MWI job turns the lamp off (NOTIFYs after the first one).
    for (let seen = 1; ; seen++) {
      const next = await lamp.waitForNotify(seen, 60_000)
      if (body(next).includes('Voice-Message: 0/0 (0/0)')) break
    }
    assert.include(body(lamp.notifies.at(-1)!), 'Messages-Waiting: no')
  }).timeout(180_000)
})
