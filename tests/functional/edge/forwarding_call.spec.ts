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
import { udpBound } from '../../../voip-edge/tests/support/udp_ready.js'

/*
 * A real call through voip-edge and this app: extension 402 calls 401, which has no phone
 * registered and forwards on no answer to +44201234567. The edge rings 401 (nobody), posts
 * the Dial action, the app answers with the forward, and the edge carries it out through
 * the tenant's trunk (a sipp carrier that challenges with digest and checks the route's
 * 00-prefix rewrite). The caller gets 200 from the carrier's answer.
 */
test.group('Call forwarding on a real call (app + voip-edge + rtpengine + sipp)', (group) => {
  isolate(group)
  let rtpengine: RtpengineProcess
  group.setup(async () => {
    rtpengine = await startRtpengine()
    return () => rtpengine.stop()
  })

  test('no answer at 401 → the forward leaves through the trunk and is answered', async ({
    assert,
    cleanup,
  }) => {
    const { organization } = await createTenant()
    await makeExtension(organization, { number: '402' })
    await makeExtension(organization, {
      number: '401',
      forwarding: {
        ...defaultForwarding(),
        noAnswer: { enabled: true, destination: '+44201234567', timeoutSeconds: 5 },
      },
    })
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
      VOIP_EDGE_LOG_LEVEL: 'silent',
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
    const sipPort = bound.get('udp')!.port

    const carrier = runSipp({
      scenario: 'uas_trunk_digest_expect_200.xml',
      port: 0,
      localPort: carrierPort,
      rtpEcho: true,
      timeoutMs: 30_000,
    })
    await udpBound(carrierPort)
    const caller = await runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: sipPort,
      users: [
        `402;[authentication username=402 password=seeded-sip-password-0123456789];${organization.sipDomain};401`,
      ],
      timeoutMs: 30_000,
    })
    assert.equal(caller.code, 0, `caller:\n${caller.output}`)
    const answered = await carrier
    assert.equal(answered.code, 0, `carrier:\n${answered.output}`)
  }).timeout(90_000)
})
