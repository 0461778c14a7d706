/// <reference path="../../../voip-edge/src/types/rtpengine_client.d.ts" />
import { test } from '@japa/runner'
import env from '#start/env'
import type Organization from '#models/organization'
import type RingGroup from '#models/ring_group'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup } from '#tests/functional/ring_groups/support'
import { createEdge, type Edge } from '../../../voip-edge/src/edge.js'
import { parseConfig } from '../../../voip-edge/src/config.js'
import { HttpCredentialStore } from '../../../voip-edge/src/registrar/http_credential_store.js'
import { HttpCxmlRouter } from '../../../voip-edge/src/routing/router.js'
import {
  startRtpengine,
  freeUdpPort,
  type RtpengineProcess,
} from '../../../voip-edge/tests/support/processes.js'
import { runSipp, type SippRun } from '../../../voip-edge/tests/support/sipp.js'
import { TestUac } from '../../../voip-edge/tests/support/test_uac.js'
import { udpBound } from '../../../voip-edge/tests/support/udp_ready.js'

const PASSWORD = 'seeded-sip-password-0123456789'
const RINGS_UNTIL_CANCEL = 'uas_ring_until_cancel_expect_487.xml'
const ANSWERS = 'uas_answer_expect_200.xml'

type Cleanup = (fn: () => Promise<void>) => void

/*
 * Ring groups on real calls: extension 650 dials the group's extension 600 through an
 * in-process voip-edge and rtpengine; the members are sipp phones registered through the
 * app's credentials. Sequential hunting and the fallback run through the Dial action
 * callbacks (ring-group-callback) the edge posts when a stage is not answered; a phone that
 * rings until its CANCEL proves it was rung and then cancelled (its scenario fails without
 * the CANCEL/487 exchange), one that answers proves where the call landed.
 */
test.group('Ring groups on real calls (app + voip-edge + rtpengine + sipp)', (group) => {
  isolate(group)
  let rtpengine: RtpengineProcess
  group.setup(async () => {
    rtpengine = await startRtpengine()
    return () => rtpengine.stop()
  })

  async function startEdge(cleanup: Cleanup) {
    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
    const base = `http://127.0.0.1:${env.get('PORT')}`
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_APP_BASE_URL: base,
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:6379/${env.get('REDIS_DB', 0)}`,
      VOIP_EDGE_REDIS_PREFIX: `ring-group-e2e:${process.pid}:`,
      VOIP_EDGE_LOG_LEVEL: process.env.E2E_EDGE_LOG ?? 'silent',
    })
    const edge: Edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: base, signingSecret: secret }),
      router: new HttpCxmlRouter({ baseUrl: base, signingSecret: secret }),
    })
    const bound = await edge.start()
    cleanup(() => edge.stop())
    return bound.get('udp')!.port
  }

  /** Registers `user`'s phone and runs `scenario` as it (sipp UAS on the contact port). */
  async function phone(
    sipPort: number,
    organization: Organization,
    user: string,
    scenario: string,
    cleanup: Cleanup,
  ): Promise<{ run: Promise<SippRun> }> {
    const uac = await TestUac.open(sipPort)
    cleanup(async () => uac.close())
    const contactPort = await freeUdpPort()
    const { final } = await uac.register({
      user,
      realm: organization.sipDomain,
      password: PASSWORD,
      contactPort,
    })
    if (final.status !== 200) throw new Error(`${user} did not register: ${final.status}`)
    const run = runSipp({
      scenario,
      port: 0,
      localPort: contactPort,
      rtpEcho: scenario === ANSWERS,
      timeoutMs: 60_000,
    })
    await udpBound(contactPort)
    // Wrapped: an async function returning the run itself would wait for the phone's end.
    return { run }
  }

  /** The tenant: members 601 and 602, the caller 650, and extension 600 for the group. */
  async function tenantWithGroup(overrides: Partial<RingGroup>) {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '601' }),
      await makeExtension(organization, { number: '602' }),
    ]
    await makeExtension(organization, { number: '650' })
    const ringGroup = await makeRingGroup(organization, members, { timeout: 4, ...overrides })
    await makeExtension(organization, {
      number: '600',
      type: 'ring_group',
      configuration: { ring_group_id: ringGroup.id },
    })
    return organization
  }

  async function call650To600(sipPort: number, organization: Organization) {
    return runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: sipPort,
      users: [
        `650;[authentication username=650 password=${PASSWORD}];${organization.sipDomain};600`,
      ],
      timeoutMs: 60_000,
    })
  }

  test('sequential: 601 rings out its 4 s and is cancelled, the callback hunts on to 602, which answers', async ({
    assert,
    cleanup,
  }) => {
    const organization = await tenantWithGroup({ strategy: 'sequential' })
    const sipPort = await startEdge(cleanup)
    const first = await phone(sipPort, organization, '601', RINGS_UNTIL_CANCEL, cleanup)
    const second = await phone(sipPort, organization, '602', ANSWERS, cleanup)
    const caller = await call650To600(sipPort, organization)
    assert.equal(caller.code, 0, `caller:\n${caller.output}`)
    const [rung, answered] = await Promise.all([first.run, second.run])
    assert.equal(rung.code, 0, `601:\n${rung.output}`)
    assert.equal(answered.code, 0, `602:\n${answered.output}`)
  }).timeout(120_000)

  test('sequential, nobody answers: after the last member the fallback extension 609 takes the call', async ({
    assert,
    cleanup,
  }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '601' }),
      await makeExtension(organization, { number: '602' }),
    ]
    await makeExtension(organization, { number: '650' })
    const fallback = await makeExtension(organization, { number: '609' })
    const ringGroup = await makeRingGroup(organization, members, {
      strategy: 'sequential',
      timeout: 4,
      fallbackAction: 'extension',
      fallbackExtensionId: fallback.id,
    })
    await makeExtension(organization, {
      number: '600',
      type: 'ring_group',
      configuration: { ring_group_id: ringGroup.id },
    })
    const sipPort = await startEdge(cleanup)
    const first = await phone(sipPort, organization, '601', RINGS_UNTIL_CANCEL, cleanup)
    const second = await phone(sipPort, organization, '602', RINGS_UNTIL_CANCEL, cleanup)
    const last = await phone(sipPort, organization, '609', ANSWERS, cleanup)
    const caller = await call650To600(sipPort, organization)
    assert.equal(caller.code, 0, `caller:\n${caller.output}`)
    const runs = await Promise.all([first.run, second.run, last.run])
    for (const [index, run] of runs.entries())
      assert.equal(run.code, 0, `${['601', '602', '609'][index]}:\n${run.output}`)
  }).timeout(120_000)

  test('simultaneous: both ring, 602 answers and 601 gets CANCEL', async ({ assert, cleanup }) => {
    const organization = await tenantWithGroup({ strategy: 'simultaneous', timeout: 20 })
    const sipPort = await startEdge(cleanup)
    const first = await phone(sipPort, organization, '601', RINGS_UNTIL_CANCEL, cleanup)
    const second = await phone(sipPort, organization, '602', ANSWERS, cleanup)
    const caller = await call650To600(sipPort, organization)
    assert.equal(caller.code, 0, `caller:\n${caller.output}`)
    const [cancelled, answered] = await Promise.all([first.run, second.run])
    assert.equal(cancelled.code, 0, `601:\n${cancelled.output}`)
    assert.equal(answered.code, 0, `602:\n${answered.output}`)
  }).timeout(120_000)
})
