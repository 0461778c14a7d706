import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, type SippRun } from '../support/sipp.ts'
import { TestUac } from '../support/test_uac.ts'
import { signEdgeRequest } from '../../src/events/signer.ts'
import type { RouteRequest, Router } from '../../src/routing/router.ts'
import { InMemoryPlanStore } from '../../src/trunks/plan_store.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'
import { udpBound } from '../support/udp_ready.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'
const EXTERNAL = '+442012345678'
const caller = (dialled: string) =>
  `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;${dialled}`

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

/** The app stand-in: every M1 (the first one and the transfer's) is answered by its `To`. */
class ToRouter implements Router {
  readonly requests: RouteRequest[] = []
  async route(request: RouteRequest): Promise<string> {
    this.requests.push(request)
    return `<Response><Dial timeout="10"><Number>${request.to}</Number></Dial></Response>`
  }
}

async function control(port: number, path: string, body: unknown) {
  const text = JSON.stringify(body)
  const requestId = randomUUID()
  const timestamp = Math.floor(Date.now() / 1000)
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-edge-request-id': requestId,
      'x-edge-timestamp': String(timestamp),
      'x-edge-signature': `v1=${signEdgeRequest(SECRET, timestamp, requestId, 'POST', path, text)}`,
    },
    body: text,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

test.group('blind transfer (control API and REFER; sipp + rtpengine)', (group) => {
  let daemon: RtpengineProcess
  let running: RunningEdge
  let router: ToRouter
  let bob: TestUac
  let bobPort: number
  let trunkPort: number

  group.setup(async () => {
    daemon = await startRtpengine()
    return () => daemon.stop()
  })

  group.each.setup(async () => {
    router = new ToRouter()
    trunkPort = await freeUdpPort()
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_CONTROL_PORT: '0',
      },
      router,
      plans: new InMemoryPlanStore({
        'org-acme': {
          routes: [
            {
              id: 'r-uk',
              prefix: '+44',
              minLength: null,
              maxLength: null,
              stripDigits: 1,
              prepend: '00',
              priority: 1,
              trunkIds: ['t-1'],
            },
          ],
          rules: [],
          trunks: [
            {
              id: 't-1',
              name: 'carrier',
              kind: 'ip',
              host: '127.0.0.1',
              port: trunkPort,
              transport: 'udp',
              username: null,
              password: null,
              maxChannels: null,
              callerIdNumber: null,
              passCallerId: true,
            },
          ],
        },
      }),
    })
    bob = await TestUac.open(running.udpPort)
    bobPort = await freeUdpPort()
    const { final } = await bob.register({
      user: 'bob',
      realm: 'acme.pbx.test',
      password: 'bob-secret-2',
      contactPort: bobPort,
    })
    if (final.status !== 200) throw new Error(`bob did not register: ${final.status}`)
    return async () => {
      bob.close()
      await running.close()
    }
  })

  /** Bridged = rtpengine holds both legs' tags (the caller's and the callee's). */
  async function waitForBridge(): Promise<string> {
    const media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    try {
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline) {
        const [callId] = running.edge.activeCallIds()
        if (callId) {
          try {
            const { raw } = await media.query(callId)
            const tags = Object.keys(raw.tags as Record<string, unknown>)
            if (tags.filter((tag) => !tag.startsWith('<untagged')).length >= 2) return callId
          } catch {
            // not offered yet
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error('no call was bridged')
    } finally {
      media.close()
    }
  }

  test('control API: 404 unknown call, 422 bad target; 200 moves the caller to the target and releases B', async ({
    assert,
  }) => {
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 25_000,
    })
    const target = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: trunkPort,
      rtpEcho: true,
      timeoutMs: 25_000,
    })
    await Promise.all([udpBound(bobPort), udpBound(trunkPort)])
    const call = runSipp({
      scenario: 'uac_call_transferred_expect_200.xml',
      port: running.udpPort,
      users: [caller('bob')],
      timeoutMs: 25_000,
    })
    const callId = await waitForBridge()
    const port = running.edge.controlPort()!
    assert.deepEqual(
      (await control(port, '/v1/calls/no-such-call/transfer', { target: '1002' })).json,
      { error: 'E_CALL_NOT_FOUND' },
    )
    for (const bad of ['sip:evil@other.example', '1002; drop', 42]) {
      const response = await control(port, `/v1/calls/${callId}/transfer`, { target: bad })
      assert.equal(response.status, 422, String(bad))
      assert.equal(response.json.field, 'target')
    }
    const media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    type Tags = Record<
      string,
      {
        subscriptions?: Array<{ tag: string }>
        medias: Array<{ streams: Array<{ stats: { packets: number } }> }>
      }
    >
    const tags = async () => (await media.query(callId)).raw.tags as Tags
    const before = await tags()
    const callerTag = Object.keys(before).find((tag) => tag.includes('SIPpTag00'))!
    const bobTag = before[callerTag].subscriptions![0].tag
    const moved = await control(port, `/v1/calls/${encodeURIComponent(callId)}/transfer`, {
      target: EXTERNAL,
    })
    assert.equal(moved.status, 200)
    assert.deepEqual(moved.json, { transferred: true })
    // The transfer was routed by the app like a new call of the same caller to the target.
    assert.lengthOf(router.requests, 2)
    assert.include(router.requests[1], { callId, from: 'alice', to: EXTERNAL })
    // The caller is re-INVITEd onto the new bridge, and audio flows: the caller's G.711
    // reaches rtpengine where it now listens, and the carrier's echo comes back.
    const packets = (all: Tags, tag: string | undefined) =>
      tag ? (all[tag]?.medias[0]?.streams[0]?.stats.packets ?? 0) : 0
    const callerBefore = packets(before, callerTag)
    let after: Tags = {}
    let fromCaller = 0
    let fromTarget = 0
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline && (fromCaller < 50 || fromTarget < 50)) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      after = await tags()
      const peer = after[callerTag]?.subscriptions?.find((entry) => entry.tag !== bobTag)?.tag
      fromCaller = packets(after, callerTag) - callerBefore
      fromTarget = packets(after, peer)
    }
    media.close()
    assert.isAtLeast(fromCaller, 50, `caller RTP after the transfer: ${JSON.stringify(after)}`)
    assert.isAtLeast(fromTarget, 50, `RTP from the transfer target: ${JSON.stringify(after)}`)
    // bob (released by BYE), the carrier (answered, then BYE when alice hangs up), alice.
    assertPassed(await callee, assert)
    assertPassed(await call, assert)
    assertPassed(await target, assert)
  }).timeout(60_000)

  test('REFER from the callee: 202, NOTIFY sipfrag 200, B released, caller moved to the Refer-To target', async ({
    assert,
  }) => {
    const callee = runSipp({
      scenario: 'uas_answer_then_refer_expect_202.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 25_000,
    })
    const target = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: trunkPort,
      rtpEcho: true,
      timeoutMs: 25_000,
    })
    await Promise.all([udpBound(bobPort), udpBound(trunkPort)])
    const call = await runSipp({
      scenario: 'uac_call_transferred_expect_200.xml',
      port: running.udpPort,
      users: [caller('bob')],
      timeoutMs: 25_000,
    })
    assertPassed(call, assert)
    assertPassed(await callee, assert)
    assertPassed(await target, assert)
    assert.deepEqual(
      router.requests.map((request) => request.to),
      ['bob', EXTERNAL],
    )
  }).timeout(60_000)

  test("REFER to another tenant's extension is refused 403 and the call stays up", async ({
    assert,
  }) => {
    const callee = runSipp({
      scenario: 'uas_answer_then_refer_other_tenant_expect_403.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 25_000,
    })
    await udpBound(bobPort)
    const call = await runSipp({
      scenario: 'uac_call_long_expect_200.xml',
      port: running.udpPort,
      users: [caller('bob')],
      timeoutMs: 25_000,
    })
    assertPassed(call, assert)
    assertPassed(await callee, assert)
    assert.deepEqual(
      router.requests.map((request) => request.to),
      ['bob'],
      'no routing for the refused target',
    )
  }).timeout(60_000)
})
