import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp } from '../support/sipp.ts'
import { TestUac } from '../support/test_uac.ts'
import { DirectDialRouter } from '../../src/routing/direct_router.ts'
import { signEdgeRequest } from '../../src/events/signer.ts'
import { udpExchange, options } from '../support/raw_sip.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'

async function call(
  port: number,
  method: string,
  path: string,
  request: { body?: string; sign?: boolean; requestId?: string; secret?: string } = {},
) {
  const body = request.body ?? ''
  const requestId = request.requestId ?? randomUUID()
  const timestamp = Math.floor(Date.now() / 1000)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (request.sign !== false) {
    headers['x-edge-request-id'] = requestId
    headers['x-edge-timestamp'] = String(timestamp)
    headers['x-edge-signature'] =
      `v1=${signEdgeRequest(request.secret ?? SECRET, timestamp, requestId, method, path, body)}`
  }
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : body,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

test.group('control API', (group) => {
  let daemon: RtpengineProcess
  let running: RunningEdge
  let control: number
  group.each.setup(async () => {
    daemon = await startRtpengine()
    running = await startEdge({
      env: {
        VOIP_EDGE_CONTROL_PORT: '0',
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
      },
      router: new DirectDialRouter(10),
    })
    control = running.edge.controlPort()!
    return async () => {
      await running.close()
      await daemon.stop()
    }
  })

  test('health is public; everything else needs a valid, fresh, unreplayed signature', async ({
    assert,
  }) => {
    assert.deepEqual(await call(control, 'GET', '/health', { sign: false }), {
      status: 200,
      json: { status: 'ok' },
    })
    assert.equal((await call(control, 'GET', '/v1/status', { sign: false })).status, 401)
    assert.equal(
      (await call(control, 'GET', '/v1/status', { secret: 'wrong-secret-0123456789abcdefghijkl' }))
        .status,
      401,
    )
    const requestId = randomUUID()
    const status = await call(control, 'GET', '/v1/status', { requestId })
    assert.equal(status.status, 200)
    assert.equal(status.json.instanceId, running.edge.instanceId)
    assert.deepEqual(status.json.activeCalls, [])
    assert.equal(
      (await call(control, 'GET', '/v1/status', { requestId })).status,
      401,
      'replayed request id',
    )
  })

  test('switches SIP message logging at runtime and validates the body', async ({ assert }) => {
    assert.deepEqual(await call(control, 'POST', '/v1/logging', { body: '{"sipMessages":true}' }), {
      status: 200,
      json: { sipMessages: true },
    })
    assert.equal(
      (await call(control, 'POST', '/v1/logging', { body: '{"sipMessages":"yes"}' })).status,
      422,
    )
  })

  test('hangs up an active call on both legs; an unknown call is 404', async ({ assert }) => {
    assert.equal((await call(control, 'POST', '/v1/calls/nope/hangup')).status, 404)
    const bobPort = await freeUdpPort()
    const uac = await TestUac.open(running.udpPort)
    try {
      assert.equal(
        (
          await uac.register({
            user: 'bob',
            realm: 'acme.pbx.test',
            password: 'bob-secret-2',
            contactPort: bobPort,
          })
        ).final.status,
        200,
      )
    } finally {
      uac.close()
    }
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      timeoutMs: 10_000,
    })
    const caller = runSipp({
      scenario: 'uac_call_callee_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: ['alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob'],
      timeoutMs: 10_000,
    })
    const deadline = Date.now() + 5000
    while (running.edge.dialogs.size < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    const [callId] = running.edge.activeCallIds()
    assert.isString(callId)
    assert.deepEqual(
      await call(control, 'POST', `/v1/calls/${encodeURIComponent(callId)}/hangup`),
      { status: 200, json: { hungUp: true } },
    )
    assert.equal((await caller).code, 0, 'the caller got a BYE')
    assert.equal((await callee).code, 0, 'the callee got a BYE')
    assert.equal(running.edge.activeCalls(), 0)
  })

  test('when rtpengine is gone, /health says no-media (503) and new INVITEs get 480 at once', async ({
    assert,
  }) => {
    assert.isTrue(await running.edge.checkMedia())
    await daemon.stop()
    assert.isFalse(await running.edge.checkMedia())
    assert.deepEqual(await call(control, 'GET', '/health', { sign: false }), {
      status: 503,
      json: { status: 'no-media' },
    })
    const invite = options('no-media').replace(/OPTIONS/g, 'INVITE')
    assert.match(
      (await udpExchange(invite, running.udpPort)) ?? '',
      /^SIP\/2\.0 480 Temporarily Unavailable \(no media\)/,
    )
  })
})
