import { test } from '@japa/runner'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, type SippRun } from '../support/sipp.ts'
import { TestUac } from '../support/test_uac.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { udpExchange, options } from '../support/raw_sip.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { InMemoryTrunkStore } from '../../src/registrar/trunk_store.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SECRET = 'test-signing-secret-0123456789abcdef'
const caller = (dialled: string, password = 'alice-secret-1', domain = 'acme.pbx.test') =>
  `alice;[authentication username=alice password=${password}];${domain};${dialled}`

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

test.group('calls through the B2BUA (sipp + rtpengine)', (group) => {
  let daemon: RtpengineProcess
  let cxml: CxmlServer
  let running: RunningEdge
  let media: RtpEngine
  let bobUac: TestUac

  let cxmlUrl = ''

  group.setup(async () => {
    daemon = await startRtpengine()
    cxml = new CxmlServer(SECRET)
    cxmlUrl = await cxml.start()
    media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    return async () => {
      media.close()
      await cxml.stop()
      await daemon.stop()
    }
  })

  group.each.setup(async () => {
    cxml.calls.length = 0
    cxml.cdrs.length = 0
    cxml.updates.length = 0
    cxml.documents.clear()
    const spool = mkdtempSync(join(tmpdir(), 'voip-edge-cdr-'))
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
        VOIP_EDGE_CDR_SPOOL_DIR: spool,
        VOIP_EDGE_SESSION_UPDATES: 'on',
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 2000 }),
      trunks: new InMemoryTrunkStore([
        {
          organizationId: 'org-acme',
          trunkId: 'trunk-1',
          realm: 'acme.pbx.test',
          sourceIps: ['127.0.0.3'],
        },
      ]),
    })
    bobUac = await TestUac.open(running.udpPort)
    return async () => {
      bobUac.close()
      await running.close()
      rmSync(spool, { recursive: true, force: true })
    }
  })

  /** Registers bob with his Contact on the port a sipp UAS will listen on. */
  async function registerBob(assert: {
    equal(a: unknown, b: unknown, m?: string): void
  }): Promise<number> {
    const port = await freeUdpPort()
    const { final } = await bobUac.register({
      user: 'bob',
      realm: 'acme.pbx.test',
      password: 'bob-secret-2',
      contactPort: port,
    })
    assert.equal(final.status, 200)
    return port
  }

  /**
   * Bob answers with the `callee` scenario, alice calls him with `caller`: both sipp runs must
   * pass, and the call must leave nothing behind on the edge or in rtpengine.
   */
  async function bobCall(
    assert: Parameters<typeof assertPassed>[1] & {
      equal(a: unknown, b: unknown, m?: string): void
      deepEqual(a: unknown, b: unknown, m?: string): void
    },
    call: { callee: string; caller: string; rtpEcho?: boolean; bobPort?: number },
  ): Promise<void> {
    const bobPort = call.bobPort ?? (await registerBob(assert))
    const callee = runSipp({
      scenario: call.callee,
      port: 0,
      localPort: bobPort,
      ...(call.rtpEcho ? { rtpEcho: true } : {}),
      timeoutMs: 10_000,
    })
    assertPassed(
      await runSipp({
        scenario: call.caller,
        port: running.udpPort,
        users: [caller('bob')],
        timeoutMs: 10_000,
      }),
      assert,
    )
    assertPassed(await callee, assert)
    await waitFor(() => running.edge.activeCalls() === 0)
    assert.deepEqual(await media.list(), [])
  }

  test('alice calls bob: 407, 200, RTP both ways through rtpengine, BYE; rtpengine is left empty', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 15_000,
    })
    const streams = new Map<string, number>()
    const poll = setInterval(async () => {
      for (const callId of running.edge.activeCallIds()) {
        try {
          const { raw } = await media.query(callId)
          const tags = raw.tags as Record<
            string,
            { medias?: Array<{ streams?: Array<{ stats?: { packets?: number } }> }> }
          >
          for (const [tag, info] of Object.entries(tags)) {
            // Between offer and answer rtpengine holds the callee side as an untagged monologue.
            if (tag.startsWith('<untagged')) continue
            const packets = info.medias?.[0]?.streams?.[0]?.stats?.packets ?? 0
            streams.set(tag, Math.max(streams.get(tag) ?? 0, packets))
          }
        } catch {
          // the call may be ending between list and query
        }
      }
    }, 200)
    const run = await runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: running.udpPort,
      users: [caller('bob')],
      timeoutMs: 15_000,
    })
    clearInterval(poll)
    assertPassed(run, assert)
    assertPassed(await callee, assert)
    assert.lengthOf(cxml.calls, 1)
    assert.isTrue(cxml.calls[0].signatureValid, 'M1 is signed as the contract says')
    assert.equal(cxml.calls[0].body.From, 'alice')
    assert.equal(cxml.calls[0].body.To, 'bob')
    const counts = [...streams.values()]
    if (process.env.VOIP_EDGE_TEST_DEBUG) console.log(JSON.stringify([...streams]))
    assert.lengthOf(counts, 2, `both call legs seen in rtpengine: ${JSON.stringify([...streams])}`)
    for (const count of counts)
      assert.isAtLeast(count, 8, `packets per direction: ${JSON.stringify([...streams])}`)
    await waitFor(() => running.edge.activeCalls() === 0)
    assert.deepEqual(await media.list(), [], 'rtpengine session list is empty again')
    assert.equal(running.edge.dialogs.size, 0)
    await waitFor(() => cxml.cdrs.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(cxml.cdrs, 1, 'exactly one CDR per call')
    const cdr = cxml.cdrs[0]
    assert.isTrue(cdr.signatureValid)
    assert.equal(cdr.body.disposition, 'CONNECTED')
    assert.equal(cdr.body.from, 'alice')
    assert.equal(cdr.body.to, 'bob')
    assert.equal(cdr.body.call_id, cxml.calls[0].body.CallSid)
    assert.deepEqual(cdr.body.owner, { domain: { uuid: 'org-acme' } })
    assert.isAtLeast(cdr.body.billsec as number, 1)
    assert.deepEqual(running.edge.cdrs?.pending(), [])
    assert.deepEqual(
      cxml.updates.map((update) => update.body.status),
      ['processing', 'ringing', 'connected', 'connected'],
      'M4 transitions in order',
    )
    assert.isTrue(
      cxml.updates.every(
        (update) => update.signatureValid && update.body.token === cdr.body.call_id,
      ),
    )
    assert.lengthOf(
      new Set(cxml.updates.map((update) => update.body.eventId)),
      4,
      'a fresh eventId per update',
    )
    assert.isNull(cxml.updates[2].body.callEndTime)
    assert.isNumber(cxml.updates[3].body.callEndTime)
  })

  test('the callee hangs up: BYE is relayed to the caller and everything is released', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    await bobCall(assert, {
      callee: 'uas_answer_then_hangup_expect_200.xml',
      caller: 'uac_call_callee_hangs_up_expect_200.xml',
    })
    assert.equal(running.edge.dialogs.size, 0)
  })

  test('parallel fork: bob on two phones, the first to answer wins and the other is cancelled', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const answering = await registerBob(assert)
    const ringing = await registerBob(assert)
    assert.lengthOf(
      await running.edge.bindings.list('org-acme', 'bob@acme.pbx.test', Date.now()),
      2,
    )
    const winner = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: answering,
      rtpEcho: true,
      timeoutMs: 10_000,
    })
    const loser = runSipp({
      scenario: 'uas_ring_until_cancel_expect_487.xml',
      port: 0,
      localPort: ringing,
      timeoutMs: 10_000,
    })
    assertPassed(
      await runSipp({
        scenario: 'uac_call_expect_200.xml',
        port: running.udpPort,
        users: [caller('bob')],
        timeoutMs: 10_000,
      }),
      assert,
    )
    assertPassed(await winner, assert)
    assertPassed(await loser, assert)
    await waitFor(() => running.edge.activeCalls() === 0)
    assert.deepEqual(await media.list(), [])
  })

  test('hold: a re-INVITE (sendonly) is relayed through rtpengine and the recvonly answer comes back', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    await bobCall(assert, {
      callee: 'uas_answer_hold_expect_200.xml',
      caller: 'uac_call_hold_expect_200.xml',
    })
  })

  test('after an edge restart bob is still reachable without registering again', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    await running.restart()
    await bobCall(assert, {
      callee: 'uas_answer_expect_200.xml',
      caller: 'uac_call_expect_200.xml',
      rtpEcho: true,
      bobPort,
    })
  })

  test('early media: the callee’s 183 with SDP is answered through rtpengine and relayed to the caller as 183 with SDP', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    await bobCall(assert, {
      callee: 'uas_early_media_expect_200.xml',
      caller: 'uac_call_early_media_expect_200.xml',
    })
  })

  test('drain: new INVITEs get 503 while the active call goes on; drain resolves when it ends', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 10_000,
    })
    const callerRun = runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: running.udpPort,
      users: [caller('bob')],
      timeoutMs: 10_000,
    })
    await waitFor(() => running.edge.dialogs.size === 2)
    let drained = false
    const draining = running.edge.drain().then(() => (drained = true))
    const refused = await udpExchange(
      options('drain-new').replace(/OPTIONS/g, 'INVITE'),
      running.udpPort,
    )
    assert.match(refused ?? '', /^SIP\/2\.0 503 Service Unavailable \(draining\)/)
    assert.isFalse(drained, 'the drain waits for the active call')
    assertPassed(await callerRun, assert)
    assertPassed(await callee, assert)
    await draining
    assert.equal(running.edge.activeCalls(), 0)
  })

  test('an IP-authenticated trunk delivers a DID call without a challenge; routing sees direction inbound', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 10_000,
    })
    const carrier = '+15551230000;-;carrier.example;+15559870001'
    assertPassed(
      await runSipp({
        scenario: 'uac_trunk_call_expect_200.xml',
        port: running.udpPort,
        users: [carrier],
        localAddress: '127.0.0.3',
        timeoutMs: 10_000,
      }),
      assert,
    )
    assertPassed(await callee, assert)
    assert.equal(cxml.calls[0].body.Direction, 'inbound')
    assert.equal(cxml.calls[0].body.To, '+15559870001')
    assert.equal(cxml.calls[0].body.AccountSid, 'acme.pbx.test')
    // The same INVITE from a source that is no trunk is refused (unknown caller domain).
    assertPassed(
      await runSipp({
        scenario: 'uac_call_unknown_domain_expect_403.xml',
        port: running.udpPort,
        users: ['+15551230000;-;carrier.example;bob'],
      }),
      assert,
    )
  })

  test('CANCEL before answer → 487, the ringing callee is cancelled too', async ({ assert }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_ring_until_cancel_expect_487.xml',
      port: 0,
      localPort: bobPort,
      timeoutMs: 10_000,
    })
    assertPassed(
      await runSipp({
        scenario: 'uac_cancel_expect_487.xml',
        port: running.udpPort,
        users: [caller('bob')],
      }),
      assert,
    )
    assertPassed(await callee, assert)
    await waitFor(() => running.edge.activeCalls() === 0)
    assert.deepEqual(await media.list(), [])
  })

  test('callee busy → 486 relayed', async ({ assert }) => {
    cxml.document = '<Response><Dial><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    const callee = runSipp({ scenario: 'uas_busy_expect_486.xml', port: 0, localPort: bobPort })
    assertPassed(
      await runSipp({
        scenario: 'uac_call_busy_expect_486.xml',
        port: running.udpPort,
        users: [caller('bob')],
      }),
      assert,
    )
    assertPassed(await callee, assert)
    await waitFor(() => running.edge.activeCalls() === 0)
    assert.deepEqual(await media.list(), [])
    await waitFor(() => cxml.cdrs.length === 1)
    assert.equal(cxml.cdrs[0].body.disposition, 'BUSY')
    assert.equal(cxml.cdrs[0].body.billsec, 0)
    await waitFor(() => cxml.updates.length === 2)
    assert.deepEqual(
      cxml.updates.map((update) => update.body.status),
      ['processing', 'busy'],
    )
  })

  test('no answer within the CXML Dial timeout → 480, the callee is cancelled', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="1"><Number>bob</Number></Dial></Response>'
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_ring_until_cancel_expect_487.xml',
      port: 0,
      localPort: bobPort,
    })
    assertPassed(
      await runSipp({
        scenario: 'uac_call_no_answer_expect_480.xml',
        port: running.udpPort,
        users: [caller('bob')],
      }),
      assert,
    )
    assertPassed(await callee, assert)
  })

  test('Dial action (M2): a busy callee makes the edge fetch the action URL, whose CXML decides (503)', async ({
    assert,
  }) => {
    cxml.document =
      '<Response><Dial action="/api/voice/after-dial?step=2"><Number>bob</Number></Dial><Hangup/></Response>'
    cxml.documents.set(
      '/api/voice/after-dial',
      '<Response><Reject reason="congestion"/></Response>',
    )
    const bobPort = await registerBob(assert)
    const callee = runSipp({ scenario: 'uas_busy_expect_486.xml', port: 0, localPort: bobPort })
    assertPassed(
      await runSipp({
        scenario: 'uac_call_dial_action_expect_503.xml',
        port: running.udpPort,
        users: [caller('bob')],
      }),
      assert,
    )
    assertPassed(await callee, assert)
    const action = cxml.calls.find((entry) => entry.path.startsWith('/api/voice/after-dial'))
    assert.exists(action)
    assert.equal(action!.path, '/api/voice/after-dial?step=2', 'the query string is kept')
    assert.equal(action!.body.DialCallStatus, 'busy')
    assert.equal(action!.body.CallStatus, 'busy')
    assert.isTrue(action!.signatureValid)
  })

  test('Redirect (M2) fetches the next document relative to the routing URL', async ({
    assert,
  }) => {
    cxml.document = '<Response><Redirect>second</Redirect><Hangup/></Response>'
    cxml.documents.set('/api/voice/second', '<Response><Reject reason="busy"/></Response>')
    assertPassed(
      await runSipp({
        scenario: 'uac_call_busy_expect_486.xml',
        port: running.udpPort,
        users: [caller('bob')],
      }),
      assert,
    )
    assert.deepEqual(
      cxml.calls.map((entry) => entry.path),
      ['/api/voice/route', '/api/voice/second'],
    )
  })

  test('a CXML Dial to another tenant’s extension → 404, never looked up there', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial><Sip>sip:carol@globex.pbx.test</Sip></Dial></Response>'
    assertPassed(
      await runSipp({
        scenario: 'uac_call_other_tenant_expect_404.xml',
        port: running.udpPort,
        users: [caller('carol')],
      }),
      assert,
    )
  })

  test('unauthenticated INVITE → 407, unknown caller domain → 403; neither reaches routing', async ({
    assert,
  }) => {
    assertPassed(
      await runSipp({
        scenario: 'uac_call_unauthenticated_expect_407.xml',
        port: running.udpPort,
        users: [caller('bob')],
      }),
      assert,
    )
    assertPassed(
      await runSipp({
        scenario: 'uac_call_unknown_domain_expect_403.xml',
        port: running.udpPort,
        users: [caller('bob', 'x', 'initech.pbx.test')],
      }),
      assert,
    )
    assert.lengthOf(cxml.calls, 0, 'routing was never asked')
  })
})

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
