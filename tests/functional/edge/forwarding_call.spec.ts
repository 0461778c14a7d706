/// <reference path="../../../voip-edge/src/types/rtpengine_client.d.ts" />
import { test } from '@japa/runner'
import env from '#start/env'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { defaultForwarding } from '#enums/extensions'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'
import { createEdge, type Edge } from '../../../voip-edge/src/edge.js'
import { parseConfig } from '../../../voip-edge/src/config.js'
import { HttpCredentialStore } from '../../../voip-edge/src/registrar/http_credential_store.js'
import { HttpCxmlRouter } from '../../../voip-edge/src/routing/router.js'
import { HttpPlanStore } from '../../../voip-edge/src/trunks/plan_store.js'
import {
  startRtpengine,
  freeUdpPort,
  type RtpengineProcess,
} from '../../../voip-edge/tests/support/processes.js'
import { runSipp } from '../../../voip-edge/tests/support/sipp.js'
import { TestUac } from '../../../voip-edge/tests/support/test_uac.js'
import { udpBound } from '../../../voip-edge/tests/support/udp_ready.js'

/*
 * Real calls through voip-edge and this app: extension 402 calls 401, which forwards to
 * +44201234567 (always; on busy; on no answer). The edge rings 401 when the rule says so,
 * posts the Dial action, the app answers with the forward, and the edge carries it out
 * through the tenant's trunk (a sipp carrier that challenges with digest and checks the
 * route's 00-prefix rewrite). The caller gets 200 from the carrier's answer.
 */
test.group('Call forwarding on a real call (app + voip-edge + rtpengine + sipp)', (group) => {
  isolate(group)
  let rtpengine: RtpengineProcess
  group.setup(async () => {
    rtpengine = await startRtpengine()
    return () => rtpengine.stop()
  })

  type Rule = 'always' | 'busy' | 'noAnswer' | 'unreachable'

  /** The tenant, 401 forwarding on `rule` to +44201234567, and an in-process edge. */
  async function setUp(rule: Rule, cleanup: (fn: () => Promise<void>) => void) {
    const { organization } = await createTenant()
    await makeExtension(organization, { number: '402' })
    const forwarding = defaultForwarding()
    forwarding[rule] = { ...forwarding[rule], enabled: true, destination: '+44201234567' }
    // Ring 3 s before giving up (the no-answer rule's own timeout).
    forwarding.noAnswer.timeoutSeconds = 3
    await makeExtension(organization, { number: '401', forwarding })
    const carrierPort = await freeUdpPort()
    const org = { organizationId: organization.id }
    const trunk = await TrunkFactory.merge({
      ...org,
      host: '127.0.0.1',
      port: carrierPort,
      username: 'trunkuser',
      password: 'trunk-secret-9',
    }).create()
    const route = await OutboundRouteFactory.merge({
      ...org,
      prefix: '+44',
      stripDigits: 1,
      prepend: '00',
    }).create()
    await attachTrunks(route, [trunk])

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
      VOIP_EDGE_REDIS_PREFIX: `forwarding-e2e:${process.pid}:`,
      VOIP_EDGE_LOG_LEVEL: process.env.VOIP_EDGE_TEST_LOG ?? 'silent',
    })
    const plans = new HttpPlanStore({ baseUrl: base, signingSecret: secret })
    const edge: Edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: base, signingSecret: secret }),
      router: new HttpCxmlRouter({ baseUrl: base, signingSecret: secret }),
      // The trunk is a registration trunk; the sipp carrier only takes the call, not REGISTERs.
      plans: { plan: (id) => plans.plan(id), registrationTrunks: async () => [] },
    })
    const bound = await edge.start()
    cleanup(() => edge.stop())
    return { organization, carrierPort, sipPort: bound.get('udp')!.port }
  }

  /** 402 calls 401; the sipp carrier must take the forward (digest, 00-prefix checked). */
  async function callAndExpectForward(
    assert: { equal(a: unknown, b: unknown, m?: string): void },
    setup: Awaited<ReturnType<typeof setUp>>,
  ) {
    const carrier = runSipp({
      scenario: 'uas_trunk_digest_expect_200.xml',
      port: 0,
      localPort: setup.carrierPort,
      rtpEcho: true,
      timeoutMs: 30_000,
    })
    await udpBound(setup.carrierPort)
    const caller = await runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: setup.sipPort,
      users: [
        `402;[authentication username=402 password=seeded-sip-password-0123456789];${setup.organization.sipDomain};401`,
      ],
      timeoutMs: 30_000,
    })
    assert.equal(caller.code, 0, `caller:\n${caller.output}`)
    const answered = await carrier
    assert.equal(answered.code, 0, `carrier:\n${answered.output}`)
  }

  test('forward always: the call goes straight out through the trunk', async ({
    assert,
    cleanup,
  }) => {
    await callAndExpectForward(assert, await setUp('always', cleanup))
  }).timeout(90_000)

  test('unreachable: 401 has no registered phone → the Dial action forwards through the trunk', async ({
    assert,
    cleanup,
  }) => {
    await callAndExpectForward(assert, await setUp('unreachable', cleanup))
  }).timeout(90_000)

  /** 401's phone registers and behaves as `scenario` (486 busy, or rings until CANCEL). */
  async function phoneOf401(
    setup: Awaited<ReturnType<typeof setUp>>,
    scenario: string,
    cleanup: (fn: () => Promise<void>) => void,
  ) {
    const phone = await TestUac.open(setup.sipPort)
    cleanup(async () => phone.close())
    const phonePort = await freeUdpPort()
    const { final } = await phone.register({
      user: '401',
      realm: setup.organization.sipDomain,
      password: 'seeded-sip-password-0123456789',
      contactPort: phonePort,
    })
    if (final.status !== 200) throw new Error(`401 did not register: ${final.status}`)
    const run = runSipp({ scenario, port: 0, localPort: phonePort, timeoutMs: 30_000 })
    await udpBound(phonePort)
    // Wrapped: an async function returning the sipp promise itself would wait for sipp's exit.
    return { run }
  }

  test('no answer: 401 rings 3 s, is cancelled, and the call is forwarded through the trunk', async ({
    assert,
    cleanup,
  }) => {
    const setup = await setUp('noAnswer', cleanup)
    const ringing = await phoneOf401(setup, 'uas_ring_until_cancel_expect_487.xml', cleanup)
    await callAndExpectForward(assert, setup)
    const rung = await ringing.run
    assert.equal(rung.code, 0, `401's phone:\n${rung.output}`)
  }).timeout(90_000)

  test('busy at 401 (its phone answers 486) → forwarded through the trunk', async ({
    assert,
    cleanup,
  }) => {
    const setup = await setUp('busy', cleanup)
    const { run: busy } = await phoneOf401(setup, 'uas_busy_expect_486.xml', cleanup)
    await callAndExpectForward(assert, setup)
    const rung = await busy
    assert.equal(rung.code, 0, `401's phone:\n${rung.output}`)
  }).timeout(90_000)
})
