import { test } from '@japa/runner'
import { pino } from 'pino'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, credentials, type SippRun } from '../support/sipp.ts'
import { TestUac, header } from '../support/test_uac.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { FakeDrachtioServer } from '../support/fake_drachtio.ts'
import { DrachtioSignalingPort } from '../../src/signaling/drachtio_port.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SECRET = 'test-signing-secret-0123456789abcdef'
const DRACHTIO_SECRET = 'cymru'

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test.group('drachtio adapter: the daemon connection', (group) => {
  let daemon: FakeDrachtioServer
  let controlPort = 0
  group.each.setup(async () => {
    daemon = new FakeDrachtioServer({ secret: DRACHTIO_SECRET })
    controlPort = (await daemon.start()).controlPort
    return () => daemon.close()
  })

  test('authenticates with the secret and routes INVITE, REGISTER and OPTIONS', async ({
    assert,
  }) => {
    const port = new DrachtioSignalingPort({
      host: '127.0.0.1',
      port: controlPort,
      secret: DRACHTIO_SECRET,
      logger: pino({ level: 'silent' }),
    })
    const { hostport } = await port.start()
    await waitFor(() => daemon.routes.size === 3)
    await port.close()
    assert.equal(hostport, `udp/127.0.0.1:${daemon.sipPort}`)
    assert.match(daemon.messages('from-app', 'authenticate')[0], /\|authenticate\|cymru\|$/)
    assert.sameMembers([...daemon.routes], ['INVITE', 'REGISTER', 'OPTIONS'])
  })

  test('a wrong secret: start() fails instead of hanging', async ({ assert }) => {
    const port = new DrachtioSignalingPort({
      host: '127.0.0.1',
      port: controlPort,
      secret: 'not-the-secret',
      logger: pino({ level: 'silent' }),
      connectTimeoutMs: 5000,
    })
    await assert.rejects(() => port.start(), /authenticate/)
    await port.close()
    assert.deepEqual([...daemon.routes], [])
  })
})

test.group('the edge on drachtio (VOIP_EDGE_SIGNALING=drachtio)', (group) => {
  let rtpengine: RtpengineProcess
  let cxml: CxmlServer
  let cxmlUrl = ''
  let media: RtpEngine
  let daemon: FakeDrachtioServer
  let running: RunningEdge

  group.setup(async () => {
    rtpengine = await startRtpengine()
    cxml = new CxmlServer(SECRET)
    cxmlUrl = await cxml.start()
    media = new RtpEngine({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 1000 })
    return async () => {
      media.close()
      await cxml.stop()
      await rtpengine.stop()
    }
  })

  group.each.setup(async () => {
    cxml.calls.length = 0
    cxml.cdrs.length = 0
    const spool = mkdtempSync(join(tmpdir(), 'voip-edge-cdr-'))
    daemon = new FakeDrachtioServer({ secret: DRACHTIO_SECRET })
    const { controlPort } = await daemon.start()
    running = await startEdge({
      env: {
        VOIP_EDGE_SIGNALING: 'drachtio',
        VOIP_EDGE_DRACHTIO_ADDRESS: `127.0.0.1:${controlPort}`,
        VOIP_EDGE_DRACHTIO_SECRET: DRACHTIO_SECRET,
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
        VOIP_EDGE_CDR_SPOOL_DIR: spool,
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 2000 }),
    })
    return async () => {
      await running.close()
      await daemon.close()
      rmSync(spool, { recursive: true, force: true })
    }
  })

  test('sipp registers with digest through the daemon; a replayed nonce is 401 stale', async ({
    assert,
    cleanup,
  }) => {
    assert.isNull(running.edge.stack, 'no native SIP stack runs')
    const alice = credentials('alice', 'alice-secret-1', 'acme.pbx.test')
    const uac = await TestUac.open(daemon.sipPort)
    cleanup(() => uac.close())
    assertPassed(
      await runSipp({
        scenario: 'uac_register_digest_expect_200.xml',
        port: daemon.sipPort,
        users: [alice],
      }),
      assert,
    )
    const bindings = await running.edge.bindings.list('org-acme', 'alice@acme.pbx.test', Date.now())
    assert.lengthOf(bindings, 1)
    assert.equal(bindings[0].source.address, '127.0.0.1')
    const challenge = await uac.request({ user: 'alice', realm: 'acme.pbx.test' })
    const authorization = uac.authorize(header(challenge, 'www-authenticate'), {
      user: 'alice',
      password: 'alice-secret-1',
      realm: 'acme.pbx.test',
    })
    assertPassed(
      await runSipp({
        scenario: 'uac_register_replayed_nonce_expect_401.xml',
        port: daemon.sipPort,
        users: [`alice;Authorization: ${authorization};acme.pbx.test`],
      }),
      assert,
    )
    // The challenge travelled as the app wrote it, through srf and the daemon.
    assert.isTrue(
      daemon
        .messages('from-app', 'sip')
        .some((text) => /\r\nwww-authenticate: Digest /i.test(text)),
    )
  })

  test('alice calls bob: 407, routing, rtpengine, B-leg, 200/ACK, BYE; nothing left open', async ({
    assert,
  }) => {
    cxml.document = '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>'
    const bobUac = await TestUac.open(daemon.sipPort)
    const bobPort = await freeUdpPort()
    const { final } = await bobUac.register({
      user: 'bob',
      realm: 'acme.pbx.test',
      password: 'bob-secret-2',
      contactPort: bobPort,
    })
    bobUac.close()
    assert.equal(final.status, 200)
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 15_000,
    })
    const run = await runSipp({
      scenario: 'uac_call_expect_200.xml',
      port: daemon.sipPort,
      users: ['alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob'],
      timeoutMs: 15_000,
    })
    assertPassed(run, assert)
    assertPassed(await callee, assert)
    assert.lengthOf(cxml.calls, 1)
    assert.equal(cxml.calls[0].body.To, 'bob')
    await waitFor(() => running.edge.activeCalls() === 0)
    assert.deepEqual(await media.list(), [], 'rtpengine session list is empty again')
    await waitFor(() => running.edge.dialogs.size === 0 && daemon.dialogCount === 0)
    // The call was bridged, not merely answered and torn down: one CONNECTED CDR.
    await waitFor(() => cxml.cdrs.length > 0)
    assert.lengthOf(cxml.cdrs, 1)
    assert.equal(cxml.cdrs[0].body.disposition, 'CONNECTED')
  })
})
