import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, type SippRun } from '../support/sipp.ts'
import { TestUac } from '../support/test_uac.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { udpExchange, options } from '../support/raw_sip.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

test.group('rtpengine restart (R17)', (group) => {
  let daemon: RtpengineProcess
  let cxml: CxmlServer
  let running: RunningEdge
  let media: RtpEngine
  let bobUac: TestUac
  let spool: string

  group.each.setup(async () => {
    daemon = await startRtpengine()
    cxml = new CxmlServer(SECRET)
    const cxmlUrl = await cxml.start()
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    spool = mkdtempSync(join(tmpdir(), 'voip-edge-cdr-'))
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_RTPENGINE_TIMEOUT_MS: '500',
        VOIP_EDGE_RTPENGINE_PROBE_MS: '250',
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
        VOIP_EDGE_CDR_SPOOL_DIR: spool,
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 2000 }),
    })
    bobUac = await TestUac.open(running.udpPort)
    return async () => {
      bobUac.close()
      await running.close()
      media.close()
      await cxml.stop()
      await daemon.stop()
      rmSync(spool, { recursive: true, force: true })
    }
  })

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

  test('kill -9 and restart on the same ng port: anchored calls are BYE’d on both legs, 480 meanwhile, new calls work after', async ({
    assert,
  }) => {
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      calls: 2,
      timeoutMs: 40_000,
    })
    const rtpPort = await freeUdpPort()
    // This caller never hangs up: only the edge's BYE lets its scenario finish.
    const callers = runSipp({
      scenario: 'uac_call_until_edge_bye_expect_200.xml',
      port: running.udpPort,
      users: [
        `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob;${rtpPort}`,
      ],
      calls: 2,
      mediaPort: rtpPort,
      timeoutMs: 40_000,
    })
    await waitFor(
      () => running.edge.activeCalls() === 2 && running.edge.dialogs.size === 4,
      15_000,
      'two answered calls (four dialogs)',
    )
    const anchored = await media.list()
    assert.sameMembers(anchored, running.edge.activeCallIds(), 'rtpengine holds both calls')

    const ngPort = daemon.ngPort
    daemon.child.kill('SIGKILL')
    await new Promise((resolve) => daemon.child.once('exit', resolve))
    await waitFor(() => !running.edge.mediaHealthy(), 5000, 'the edge to notice the outage')
    const refused =
      (await udpExchange(options('r17-outage').replace(/OPTIONS/g, 'INVITE'), running.udpPort)) ??
      ''
    assert.match(refused, /^SIP\/2\.0 480 Temporarily Unavailable \(no media\)/)
    assert.match(refused, /\r\nRetry-After: 5\r\n/i)
    assert.equal(running.edge.activeCalls(), 2, 'calls are left alone while rtpengine is away')

    daemon = await startRtpengine({ ngPort })
    assertPassed(await callers, assert)
    assertPassed(await callee, assert)
    await waitFor(() => running.edge.activeCalls() === 0, 5000, 'no call left on the edge')
    await waitFor(() => running.edge.dialogs.size === 0, 5000, 'no dialog left on the edge')
    assert.isTrue(running.edge.mediaHealthy())
    assert.deepEqual(await media.list(), [], 'nothing left in the new rtpengine either')
    await waitFor(() => cxml.cdrs.length === 2, 5000, 'the two CDRs')
    for (const cdr of cxml.cdrs) {
      assert.equal(cdr.body.disposition, 'CONNECTED')
      assert.equal(cdr.body.hangup_cause, 'media_lost')
    }

    // The restarted rtpengine anchors new calls: RTP both ways, caller hangs up.
    const streams = new Map<string, number>()
    const poll = setInterval(async () => {
      for (const callId of running.edge.activeCallIds()) {
        try {
          const { raw } = await media.query(callId)
          for (const [tag, info] of Object.entries(
            raw.tags as Record<
              string,
              { medias?: Array<{ streams?: Array<{ stats?: { packets?: number } }> }> }
            >,
          )) {
            if (tag.startsWith('<untagged')) continue
            const packets = info.medias?.[0]?.streams?.[0]?.stats?.packets ?? 0
            streams.set(tag, Math.max(streams.get(tag) ?? 0, packets))
          }
        } catch {
          // the call may be ending between the two
        }
      }
    }, 200)
    const nextCallee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: await registerBob(assert),
      rtpEcho: true,
      timeoutMs: 20_000,
    })
    const next = await runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: running.udpPort,
      users: ['alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob'],
      timeoutMs: 20_000,
    })
    clearInterval(poll)
    assertPassed(next, assert)
    assertPassed(await nextCallee, assert)
    assert.lengthOf([...streams.values()], 2, `both legs anchored: ${JSON.stringify([...streams])}`)
    for (const count of streams.values()) assert.isAtLeast(count, 8, 'RTP relayed after restart')
    await waitFor(() => cxml.cdrs.length === 3, 5000, 'the new call’s CDR')
    assert.equal(cxml.cdrs[2].body.hangup_cause, 'completed')
  })

  test('a healthy call survives reconciliation; after a quick restart it is torn down', async ({
    assert,
  }) => {
    const bobPort = await registerBob(assert)
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 40_000,
    })
    const rtpPort = await freeUdpPort()
    const caller = runSipp({
      scenario: 'uac_call_until_edge_bye_expect_200.xml',
      port: running.udpPort,
      users: [
        `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob;${rtpPort}`,
      ],
      mediaPort: rtpPort,
      timeoutMs: 40_000,
    })
    await waitFor(() => running.edge.dialogs.size === 2, 15_000, 'an answered call')
    // Nothing is missing yet: a reconciliation leaves a healthy call alone.
    assert.equal(await running.edge.reconcileMedia(), 0)
    assert.equal(running.edge.activeCalls(), 1)

    const ngPort = daemon.ngPort
    daemon.child.kill('SIGKILL')
    await new Promise((resolve) => daemon.child.once('exit', resolve))
    daemon = await startRtpengine({ ngPort })
    assertPassed(await caller, assert)
    assertPassed(await callee, assert)
    // The dialogs end with the BYEs, the call once its rtpengine delete is answered.
    await waitFor(() => running.edge.dialogs.size === 0, 5000, 'no dialog left on the edge')
    await waitFor(() => running.edge.activeCalls() === 0, 5000, 'no call left on the edge')
  })
})
