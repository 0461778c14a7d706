import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { startEdgeChild, type EdgeChild } from '../support/edge_child.ts'
import { startRtpengine, freeUdpPort, type RtpengineProcess } from '../support/processes.ts'
import { runSipp, credentials, type SippRun } from '../support/sipp.ts'
import { TestUac } from '../support/test_uac.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { uniquePrefix, deleteKeys } from '../support/edge_harness.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'

const SECRET = 'edge-restart-test-secret-0123456789abcdef'
const REALM = 'acme.pbx.localhost'
// demo/tenants.json: 1001 calls 1002.
const CALLER = `${credentials('1001', 'demo-1001-change-me', REALM)};1002`
const OWNERS = (prefix: string) => `${prefix}edge:owners`
const BINDING_KEY = (prefix: string) => `${prefix}reg:demo-org-acme:1002@${REALM}`

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test.group('edge restart (R18): SIGKILL mid-call, a new edge process takes over', (group) => {
  let daemon: RtpengineProcess
  let media: RtpEngine
  let cxml: CxmlServer
  let redis: Redis
  let prefix: string
  let spool: string
  const edges: EdgeChild[] = []

  group.each.setup(async () => {
    daemon = await startRtpengine()
    media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    cxml = new CxmlServer(SECRET)
    redis = new Redis({ maxRetriesPerRequest: 2 })
    prefix = uniquePrefix()
    spool = mkdtempSync(join(tmpdir(), 'voip-edge-restart-cdr-'))
    return async () => {
      for (const edge of edges.splice(0)) await edge.stop(3000)
      await deleteKeys(redis, prefix)
      redis.disconnect()
      media.close()
      await cxml.stop()
      await daemon.stop()
      rmSync(spool, { recursive: true, force: true })
    }
  })

  test('registrations persist and the crashed edge’s call gets a BYE on both legs', async ({
    assert,
  }) => {
    const appUrl = await cxml.start()
    const port = await freeUdpPort()
    const env = {
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_CREDENTIALS_FILE: 'demo/tenants.json',
      VOIP_EDGE_ROUTER: 'direct',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
      VOIP_EDGE_APP_BASE_URL: appUrl,
      VOIP_EDGE_CDR_SPOOL_DIR: spool,
    }
    const first = await startEdgeChild({ port, prefix, env })
    edges.push(first)

    const phonePort = await freeUdpPort()
    const phone = await TestUac.open(port)
    const { final } = await phone.register({
      user: '1002',
      realm: REALM,
      password: 'demo-1002-change-me',
      contactPort: phonePort,
    })
    phone.close()
    assert.equal(final.status, 200)
    const bindingBefore = await redis.hgetall(BINDING_KEY(prefix))
    assert.lengthOf(Object.keys(bindingBefore), 1)

    // The call is up on the first edge: both sipps wait for a BYE nobody but an edge sends.
    // rtpEcho: sipp leaves [media_port] empty in its SDP unless it opens media sockets.
    const callee = runSipp({
      rtpEcho: true,
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: phonePort,
      timeoutMs: 60_000,
    })
    const caller = runSipp({
      rtpEcho: true,
      scenario: 'uac_call_silent_until_bye_expect_200.xml',
      port,
      users: [CALLER],
      timeoutMs: 60_000,
    })
    const records = async () => {
      const keys = await redis.keys(`${prefix}edge:calls:*`)
      let count = 0
      for (const key of keys) count += await redis.hlen(key)
      return count
    }
    await until('the call record', async () => (await records()) === 1, 15_000)
    const [callId] = await media.list()
    assert.isString(callId, 'rtpengine anchors the call')

    const [crashedOwner] = await redis.smembers(OWNERS(prefix))
    assert.isString(crashedOwner)
    await first.crash()
    const crashedAt = Date.now()
    const second = await startEdgeChild({ port, prefix, env })
    edges.push(second)

    const [a, b] = await Promise.all([caller, callee])
    const byeSeconds = (Date.now() - crashedAt) / 1000
    assertPassed(a, assert)
    assertPassed(b, assert)
    // Heartbeat TTL (8 s) + one sweep (2 s) + the successor's start-up.
    assert.isBelow(byeSeconds, 30, 'both legs got their BYE in bounded time')
    assert.equal(await records(), 0, 'the crashed edge’s record was claimed')
    await until('rtpengine session deleted', async () => (await media.list()).length === 0, 5000)
    await until('the CDR of the recovered call', async () => cxml.cdrs.length === 1, 15_000)
    assert.equal(cxml.cdrs[0].body.call_id, callId)
    assert.equal(cxml.cdrs[0].body.disposition, 'CONNECTED')
    assert.equal(cxml.cdrs[0].body.hangup_cause, 'edge_restart')

    // The same phone is called through the new edge on the old registration: no REGISTER.
    const [again, answered] = await Promise.all([
      runSipp({ rtpEcho: true, scenario: 'uac_call_brief_expect_200.xml', port, users: [CALLER] }),
      runSipp({
        rtpEcho: true,
        scenario: 'uas_answer_expect_200.xml',
        port: 0,
        localPort: phonePort,
      }),
    ])
    assertPassed(again, assert)
    assertPassed(answered, assert)
    assert.deepEqual(await redis.hgetall(BINDING_KEY(prefix)), bindingBefore)
    await until('no media left', async () => (await media.list()).length === 0, 5000)
    assert.equal(await records(), 0)
    assert.notInclude(await redis.smembers(OWNERS(prefix)), crashedOwner, 'dead owner forgotten')
  })
})
