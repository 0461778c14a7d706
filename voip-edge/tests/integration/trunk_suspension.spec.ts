import { test } from '@japa/runner'
import { createSocket } from 'node:dgram'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess } from '../support/processes.ts'
import { runSipp } from '../support/sipp.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { InMemoryPlanStore } from '../../src/trunks/plan_store.ts'
import type { OutboundPlan } from '../../src/trunks/outbound_plan.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'
const caller = (dialled: string) =>
  `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;${dialled}`

test.group('outbound calls of a tenant suspended by the toll-fraud guard (sipp)', (group) => {
  let daemon: RtpengineProcess
  let cxml: CxmlServer
  let cxmlUrl = ''
  let running: RunningEdge | null = null

  group.setup(async () => {
    daemon = await startRtpengine()
    cxml = new CxmlServer(SECRET)
    cxmlUrl = await cxml.start()
    return async () => {
      await running?.close()
      await cxml.stop()
      await daemon.stop()
    }
  })

  test('the plan says suspended: even a whitelisted number is refused 403 and no INVITE reaches the carrier', async ({
    assert,
  }) => {
    const carrier = createSocket('udp4')
    await new Promise<void>((resolve) => carrier.bind(0, '127.0.0.1', () => resolve()))
    const invites: string[] = []
    carrier.on('message', (data) => invites.push(data.toString('latin1')))
    const plan: OutboundPlan = {
      routes: [
        {
          id: 'r-any',
          prefix: '+',
          minLength: null,
          maxLength: null,
          stripDigits: 0,
          prepend: null,
          priority: 1,
          trunkIds: ['t-a'],
        },
      ],
      rules: [{ kind: 'allow', prefix: '+33' }],
      trunks: [
        {
          id: 't-a',
          name: 'carrier',
          kind: 'ip',
          host: '127.0.0.1',
          port: carrier.address().port,
          transport: 'udp',
          username: null,
          password: null,
          maxChannels: null,
          callerIdNumber: null,
          passCallerId: true,
        },
      ],
      outboundSuspension: {
        since: new Date().toISOString(),
        reason: 'more than 3 international/premium calls in an hour',
      },
    }
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 2000 }),
      plans: new InMemoryPlanStore({ 'org-acme': plan }),
    })
    try {
      cxml.document = '<Response><Dial timeout="10"><Number>+33142685300</Number></Dial></Response>'
      const run = await runSipp({
        scenario: 'uac_call_outbound_suspended_expect_403.xml',
        port: running.udpPort,
        users: [caller('+33142685300')],
        timeoutMs: 15_000,
      })
      assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
      assert.deepEqual(invites, [], 'no INVITE reached the carrier')
    } finally {
      carrier.close()
    }
  }).timeout(60_000)
})
