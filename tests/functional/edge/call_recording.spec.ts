/// <reference path="../../../voip-edge/src/types/rtpengine_client.d.ts" />
import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import env from '#start/env'
import CallLog from '#models/call_log'
import OrganizationSettingsService from '#services/settings/organization_settings_service'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { createEdge, type Edge } from '../../../voip-edge/src/edge.js'
import { parseConfig } from '../../../voip-edge/src/config.js'
import { HttpCredentialStore } from '../../../voip-edge/src/registrar/http_credential_store.js'
import { HttpCxmlRouter } from '../../../voip-edge/src/routing/router.js'
import { frameLevels, wavDurationMs } from '../../../voip-edge/src/media/audio.js'
import {
  startRtpengine,
  freeUdpPort,
  type RtpengineProcess,
} from '../../../voip-edge/tests/support/processes.js'
import { runSipp } from '../../../voip-edge/tests/support/sipp.js'
import { TestUac } from '../../../voip-edge/tests/support/test_uac.js'
import { udpBound } from '../../../voip-edge/tests/support/udp_ready.js'

const PASSWORD = 'seeded-sip-password-0123456789'

/** Mean absolute level of a mono 16-bit WAV between two instants (seconds). */
function levelBetween(wav: Buffer, fromSec: number, toSec: number) {
  const data = wav.subarray(44)
  const samples = new Int16Array(data.length / 2)
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2)
  const levels = frameLevels(samples.subarray(fromSec * 8000, toSec * 8000))
  return levels.reduce((sum, level) => sum + level, 0) / Math.max(1, levels.length)
}

async function until<T>(probe: () => Promise<T | null | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/*
 * A recorded extension-to-extension call through an in-process voip-edge, rtpengine and
 * two sipp phones that both speak: the organization records calls, so the app's Dial carries
 * record="record-from-answer"; the edge records the bridge, mixes both directions and
 * uploads the WAV after the call, and the app links it to the call log. The caller speaks
 * from the answer (speech 1–7 s); the callee 4 s later (speech 5–11 s); the caller hangs
 * up at 12 s. Speech at 1.5–3.5 s is the caller's alone, at 8–10.5 s the callee's alone.
 */
test.group('Call recording on a real call (app + voip-edge + rtpengine + sipp)', (group) => {
  isolate(group)

  test('502 calls 501 in a recording organization: the mixed WAV is downloadable through /api/v1, not by another tenant', async ({
    assert,
    client,
    cleanup,
  }) => {
    const work = mkdtempSync(join(tmpdir(), 'call-rec-e2e-'))
    const rtpengine: RtpengineProcess = await startRtpengine({
      recordingDir: join(work, 'recordings'),
    })
    cleanup(async () => {
      await rtpengine.stop()
      rmSync(work, { recursive: true, force: true })
    })
    const { organization, owner } = await createTenant()
    const settings = await new OrganizationSettingsService().forOrganization(organization)
    settings.recordingEnabled = true
    await settings.save()
    await makeExtension(organization, { number: '501' })
    await makeExtension(organization, { number: '502' })

    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
    const base = `http://127.0.0.1:${env.get('PORT')}`
    const appUrl = env.get('APP_URL')
    env.set('APP_URL', base)
    cleanup(async () => env.set('APP_URL', appUrl))
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_APP_BASE_URL: base,
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_RECORDING_DIR: join(work, 'recordings'),
      VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      VOIP_EDGE_SESSION_UPDATES: 'true',
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:6379/${env.get('REDIS_DB', 0)}`,
      VOIP_EDGE_REDIS_PREFIX: `call-rec-e2e:${process.pid}:`,
      VOIP_EDGE_LOG_LEVEL: process.env.E2E_EDGE_LOG ?? 'silent',
    })
    const edge: Edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: base, signingSecret: secret }),
      router: new HttpCxmlRouter({ baseUrl: base, signingSecret: secret }),
    })
    const bound = await edge.start()
    cleanup(() => edge.stop())
    const sipPort = bound.get('udp')!.port

    const phone = await TestUac.open(sipPort)
    cleanup(async () => phone.close())
    const phonePort = await freeUdpPort()
    const { final } = await phone.register({
      user: '501',
      realm: organization.sipDomain,
      password: PASSWORD,
      contactPort: phonePort,
    })
    assert.equal(final.status, 200, '501 registers')
    const callee = runSipp({
      scenario: 'uas_answer_speaks_late_expect_200.xml',
      port: 0,
      localPort: phonePort,
      timeoutMs: 60_000,
    })
    await udpBound(phonePort)
    const caller = await runSipp({
      scenario: 'uac_call_speaks_expect_200.xml',
      port: sipPort,
      users: [
        `502;[authentication username=502 password=${PASSWORD}];${organization.sipDomain};501`,
      ],
      timeoutMs: 60_000,
    })
    assert.equal(caller.code, 0, `caller:\n${caller.output}`)
    const answered = await callee
    assert.equal(answered.code, 0, `callee:\n${answered.output}`)

    const log = await until(
      () =>
        CallLog.query()
          .withScopes((scopes) => scopes.forOrganization(organization))
          .whereNotNull('recording_key')
          .first(),
      60_000,
    )
    const token = await tokenFor(owner)
    const shown = await client.get(`/api/v1/call-logs/${log.id}`).bearerToken(token)
    shown.assertStatus(200)
    assert.isTrue(shown.body().data.hasRecording)
    const link = await client.get(`/api/v1/call-logs/${log.id}/recording`).bearerToken(token)
    link.assertStatus(200)
    const signed = new URL(link.body().data.url)
    const download = await fetch(new URL(signed.pathname + signed.search, base))
    assert.equal(download.status, 200)
    const wav = Buffer.from(await download.arrayBuffer())
    const seconds = wavDurationMs(wav)! / 1000
    // The caller hangs up 12 s after its ACK: the recording spans the answered call.
    assert.closeTo(seconds, 12, 1, `recording length ${seconds} s`)
    if (log.answeredAt && log.endedAt) {
      const call = log.endedAt.diff(log.answeredAt).as('seconds')
      assert.closeTo(seconds, call, 1, `recording ${seconds} s vs call ${call} s`)
    }
    const callerAlone = levelBetween(wav, 1.5, 3.5)
    const calleeAlone = levelBetween(wav, 8, 10.5)
    assert.isAbove(callerAlone, 300, "the caller's direction is in the recording")
    assert.isAbove(calleeAlone, 300, "the callee's direction is in the recording")

    // Another tenant's owner gets 404 for the log and its recording.
    const other = await createTenant()
    const foreign = await tokenFor(other.owner)
    const stranger = await client.get(`/api/v1/call-logs/${log.id}/recording`).bearerToken(foreign)
    stranger.assertStatus(404)
  }).timeout(180_000)

  test('a call log without a recording answers 404 on /recording', async ({ client }) => {
    const { organization, owner } = await createTenant()
    const log = await CallLog.create({
      organizationId: organization.id,
      callId: 'not-recorded-1',
      direction: 'internal',
      fromNumber: '502',
      toNumber: '501',
      status: 'completed',
      initiatedAt: DateTime.now(),
    })
    const token = await tokenFor(owner)
    const response = await client.get(`/api/v1/call-logs/${log.id}/recording`).bearerToken(token)
    response.assertStatus(404)
  })
})
