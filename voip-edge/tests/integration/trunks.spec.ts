import { test } from '@japa/runner'
import { createSocket } from 'node:dgram'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, type SippRun } from '../support/sipp.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { TestUac } from '../support/test_uac.ts'
import { udpBound } from '../support/udp_ready.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { InMemoryPlanStore } from '../../src/trunks/plan_store.ts'
import type { OutboundPlan, OutboundTrunk } from '../../src/trunks/outbound_plan.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'
const caller = (dialled: string) =>
  `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;${dialled}`

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

const trunk = (id: string, port: number, extra: Partial<OutboundTrunk> = {}): OutboundTrunk => ({
  id,
  name: `carrier ${id}`,
  kind: 'ip',
  host: '127.0.0.1',
  port,
  transport: 'udp',
  username: null,
  password: null,
  maxChannels: null,
  callerIdNumber: null,
  passCallerId: true,
  ...extra,
})

/** UK numbers leave as 00…, anything else international as dialled; both via the given trunks. */
const plan = (trunks: OutboundTrunk[], rules: OutboundPlan['rules'] = []): OutboundPlan => ({
  routes: [
    {
      id: 'r-uk',
      prefix: '+44',
      minLength: null,
      maxLength: null,
      stripDigits: 1,
      prepend: '00',
      priority: 1,
      trunkIds: trunks.map((t) => t.id),
    },
    {
      id: 'r-any',
      prefix: '+',
      minLength: null,
      maxLength: null,
      stripDigits: 0,
      prepend: null,
      priority: 9,
      trunkIds: trunks.map((t) => t.id),
    },
  ],
  rules,
  trunks,
})

test.group('outbound calls through SIP trunks, toll-fraud caps (sipp + rtpengine)', (group) => {
  let daemon: RtpengineProcess
  let cxml: CxmlServer
  let cxmlUrl = ''
  let plans: InMemoryPlanStore
  let running: RunningEdge | null = null

  group.setup(async () => {
    daemon = await startRtpengine()
    cxml = new CxmlServer(SECRET)
    cxmlUrl = await cxml.start()
    return async () => {
      await cxml.stop()
      await daemon.stop()
    }
  })

  group.each.setup(() => {
    cxml.calls.length = 0
    cxml.documents.clear()
    plans = new InMemoryPlanStore()
    return async () => {
      await running?.close()
      running = null
    }
  })

  async function edge(env: Record<string, string> = {}): Promise<RunningEdge> {
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
        ...env,
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 2000 }),
      plans,
    })
    return running
  }

  test('first trunk answers 503, the call fails over to the second, which challenges (digest) and answers', async ({
    assert,
  }) => {
    const [portA, portB] = [await freeUdpPort(), await freeUdpPort()]
    plans.plans.set(
      'org-acme',
      plan([
        trunk('t-a', portA),
        trunk('t-b', portB, {
          kind: 'register',
          username: 'trunkuser',
          password: 'trunk-secret-9',
          maxChannels: 1,
        }),
      ]),
    )
    cxml.document = '<Response><Dial timeout="15"><Number>+44201234567</Number></Dial></Response>'
    const { udpPort } = await edge()
    const first = runSipp({
      scenario: 'uas_trunk_unavailable_expect_503.xml',
      port: 0,
      localPort: portA,
      timeoutMs: 20_000,
    })
    const second = runSipp({
      scenario: 'uas_trunk_digest_expect_200.xml',
      port: 0,
      localPort: portB,
      rtpEcho: true,
      timeoutMs: 20_000,
    })
    // A carrier that starts listening late would get the INVITE and its retransmission at once.
    await Promise.all([udpBound(portA), udpBound(portB)])
    const call = await runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: udpPort,
      users: [caller('+44201234567')],
      timeoutMs: 20_000,
    })
    const [a, b] = [await first, await second]
    assertPassed(b, assert)
    assertPassed(a, assert)
    assertPassed(call, assert)
    assert.equal(cxml.calls[0].body.To, '+44201234567')
  }).timeout(60_000)

  test('follow-me: the extension and an outside number ring in parallel; the trunk answers, the phone is cancelled', async ({
    assert,
  }) => {
    const trunkPort = await freeUdpPort()
    plans.plans.set(
      'org-acme',
      plan([
        trunk('t-b', trunkPort, {
          kind: 'register',
          username: 'trunkuser',
          password: 'trunk-secret-9',
        }),
      ]),
    )
    cxml.document =
      '<Response><Dial timeout="15"><Number>bob</Number><Number>+44201234567</Number></Dial></Response>'
    const { udpPort } = await edge()
    const bob = await TestUac.open(udpPort)
    try {
      const bobPort = await freeUdpPort()
      const { final } = await bob.register({
        user: 'bob',
        realm: 'acme.pbx.test',
        password: 'bob-secret-2',
        contactPort: bobPort,
      })
      assert.equal(final.status, 200)
      const phone = runSipp({
        scenario: 'uas_ring_until_cancel_expect_487.xml',
        port: 0,
        localPort: bobPort,
        timeoutMs: 20_000,
      })
      const carrier = runSipp({
        scenario: 'uas_trunk_digest_expect_200.xml',
        port: 0,
        localPort: trunkPort,
        rtpEcho: true,
        timeoutMs: 20_000,
      })
      await Promise.all([udpBound(bobPort), udpBound(trunkPort)])
      const call = await runSipp({
        scenario: 'uac_call_expect_200.xml',
        port: udpPort,
        users: [caller('bob')],
        timeoutMs: 20_000,
      })
      assertPassed(call, assert)
      assertPassed(await carrier, assert)
      assertPassed(await phone, assert)
    } finally {
      bob.close()
    }
  }).timeout(60_000)

  test('a 401 that does not come from the trunk host is not answered: no credentials leave, the caller gets 503', async ({
    assert,
  }) => {
    // The carrier at 127.0.0.1 stays silent; an attacker at 127.0.0.7 who saw the INVITE
    // forges the challenge to make the edge send a digest response for the trunk account.
    const carrierSocket = createSocket('udp4')
    const spoofer = createSocket('udp4')
    await new Promise<void>((resolve) => carrierSocket.bind(0, '127.0.0.1', () => resolve()))
    await new Promise<void>((resolve) => spoofer.bind(0, '127.0.0.7', () => resolve()))
    plans.plans.set(
      'org-acme',
      plan([
        trunk('t-secret', carrierSocket.address().port, {
          username: 'trunkuser',
          password: 'trunk-secret-9',
        }),
      ]),
    )
    cxml.document = '<Response><Dial timeout="10"><Number>+44201234567</Number></Dial></Response>'
    const { udpPort } = await edge()
    const invites: string[] = []
    carrierSocket.on('message', (data) => {
      const text = data.toString('latin1')
      if (!text.startsWith('INVITE ')) return
      invites.push(text)
      if (invites.length > 1) return
      const header = (name: string) =>
        new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text)?.[1]?.trim() ?? ''
      const forged = [
        'SIP/2.0 401 Unauthorized',
        `Via: ${header('via')}`,
        `From: ${header('from')}`,
        `To: ${header('to')};tag=forged`,
        `Call-ID: ${header('call-id')}`,
        `CSeq: ${header('cseq')}`,
        'WWW-Authenticate: Digest realm="carrier.test", nonce="steal-me", algorithm=MD5, qop="auth"',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n')
      spoofer.send(forged, udpPort, '127.0.0.1')
    })
    try {
      assertPassed(
        await runSipp({
          scenario: 'uac_call_trunk_refused_expect_503.xml',
          port: udpPort,
          users: [caller('+44201234567')],
          timeoutMs: 15_000,
        }),
        assert,
      )
      assert.lengthOf(invites, 1, 'the INVITE was not re-sent with credentials')
      assert.notMatch(invites[0], /^(proxy-)?authorization:/im)
    } finally {
      carrierSocket.close()
      spoofer.close()
    }
  }).timeout(60_000)

  test('a premium-rate number and a number outside the whitelist are refused 403 with the rule, before any trunk is tried', async ({
    assert,
  }) => {
    // Nothing listens on the trunk port: were an INVITE sent, the call would end 408/503.
    const silent = createSocket('udp4')
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()))
    const invites: string[] = []
    silent.on('message', (data) => invites.push(data.toString('latin1')))
    plans.plans.set('org-acme', plan([trunk('t-a', silent.address().port)]))
    const { udpPort } = await edge()
    try {
      cxml.document = '<Response><Dial timeout="10"><Number>+19005550123</Number></Dial></Response>'
      assertPassed(
        await runSipp({
          scenario: 'uac_call_premium_expect_403.xml',
          port: udpPort,
          users: [caller('+19005550123')],
          timeoutMs: 15_000,
        }),
        assert,
      )
      // With an allow rule the list becomes a whitelist: France is not on it.
      plans.plans.set(
        'org-acme',
        plan([trunk('t-a', silent.address().port)], [{ kind: 'allow', prefix: '+44' }]),
      )
      cxml.document = '<Response><Dial timeout="10"><Number>+33142685300</Number></Dial></Response>'
      assertPassed(
        await runSipp({
          scenario: 'uac_call_premium_expect_403.xml',
          port: udpPort,
          users: [caller('+33142685300')],
          timeoutMs: 15_000,
        }),
        assert,
      )
      assert.deepEqual(invites, [], 'no INVITE reached the carrier')
    } finally {
      silent.close()
    }
  }).timeout(60_000)

  test('tenant concurrent-call cap: with one call up, the next one gets 503 naming the limit and is never routed', async ({
    assert,
  }) => {
    const { udpPort } = await edge({ VOIP_EDGE_TENANT_MAX_CALLS: '1' })
    // The first call stays up (unanswered) for 8 s, then ends busy.
    cxml.document = '<Response><Pause length="8"/><Reject reason="busy"/></Response>'
    const first = runSipp({
      scenario: 'uac_call_busy_expect_486.xml',
      port: udpPort,
      users: [caller('bob')],
      timeoutMs: 20_000,
    })
    const deadline = Date.now() + 15_000
    while (running!.edge.activeCalls() < 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(running!.edge.activeCalls(), 1, 'the first call is up')
    const over = await runSipp({
      scenario: 'uac_call_over_limit_expect_503.xml',
      port: udpPort,
      users: [caller('bob')],
      timeoutMs: 15_000,
    })
    assertPassed(over, assert)
    assertPassed(await first, assert)
    assert.lengthOf(cxml.calls, 1, 'the refused call was never routed')
    // The cap counts calls, not history: once the first call ended, a new one is admitted.
    cxml.document = '<Response><Reject reason="busy"/></Response>'
    assertPassed(
      await runSipp({
        scenario: 'uac_call_busy_expect_486.xml',
        port: udpPort,
        users: [caller('bob')],
        timeoutMs: 15_000,
      }),
      assert,
    )
  }).timeout(60_000)
})
