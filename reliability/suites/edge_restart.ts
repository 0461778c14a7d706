/**
 * R18 voip-edge restart: N phones (AORs) registered on an edge process with rtpengine, some
 * calls established through it, then the edge is killed (SIGKILL: no drain) and a new
 * process starts on the same port and Redis prefix. Criteria (§6 R18): calls to the
 * registered extensions succeed afterwards without any new REGISTER, and every dialog of the
 * crashed process is BYE'd on both legs within a bounded time, leaving no call record in
 * Redis and no rtpengine session behind.
 *
 * One sipp UAS plays every phone (all AORs are bound to its address); the callers are one
 * sipp UAC with an injection file. The edge's crash recovery (voip-edge
 * src/b2bua/call_records.ts) gives the dead instance's heartbeat 8 s to expire and sweeps
 * every 2 s, so the BYE bound is 8 + 2 s plus the successor's start-up: 20 s is the limit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Row } from '../lib/report.ts'
import type { Suite } from '../lib/suite.ts'
import { startEdgeChild, type EdgeChild } from '../../voip-edge/tests/support/edge_child.ts'
import {
  startRtpengine,
  freeUdpPort,
  type RtpengineProcess,
} from '../../voip-edge/tests/support/processes.ts'
import { runSipp, credentials, type SippRun } from '../../voip-edge/tests/support/sipp.ts'
import { TestUac } from '../../voip-edge/tests/support/test_uac.ts'
import { CxmlServer } from '../../voip-edge/tests/support/cxml_server.ts'
import { deleteKeys } from '../../voip-edge/tests/support/edge_harness.ts'
import { RtpEngine } from '../../voip-edge/src/media/rtpengine.ts'

const ORG = 'edgerestart-org'
const REALM = 'edgerestart.pbx.localhost'
const BYE_BOUND_S = 20

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) return false
    await sleep(200)
  }
  return true
}

/** sipp's cumulative "Successful call" counter from its final statistics screen. */
function successful(run: SippRun): number {
  const match = /Successful call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(run.output)
  return match ? Number(match[1]) : 0
}

export async function edgeRestart(
  aors: number,
  established: number,
  redisPort: number,
  secret: string,
): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opbx-reliability-edgerestart-'))
  const prefix = `edgerestart:${process.pid}:`
  const phones = Array.from({ length: aors }, (_, i) => ({
    extensionId: `edgerestart-${i}`,
    username: String(20_000 + i),
    password: `phone-${i}-${randomBytes(6).toString('hex')}`,
  }))
  const caller = { extensionId: 'edgerestart-caller', username: '1000', password: 'caller-pass-1' }
  const credentialsFile = join(dir, 'tenants.json')
  writeFileSync(
    credentialsFile,
    JSON.stringify([{ organizationId: ORG, realm: REALM, extensions: [caller, ...phones] }]),
  )
  const callerLine = (phone: { username: string }) =>
    `${credentials(caller.username, caller.password, REALM)};${phone.username}`
  const bindingKey = (phone: { username: string }) =>
    `${prefix}reg:${ORG}:${phone.username}@${REALM}`

  const redis = new Redis(`redis://127.0.0.1:${redisPort}`, { maxRetriesPerRequest: 2 })
  const records = async () => {
    let count = 0
    for (const key of await redis.keys(`${prefix}edge:calls:*`)) count += await redis.hlen(key)
    return count
  }
  let daemon: RtpengineProcess | null = null
  let media: RtpEngine | null = null
  const cxml = new CxmlServer(secret)
  const edges: EdgeChild[] = []
  try {
    daemon = await startRtpengine({ ports: Math.max(200, established * 4 + 100) })
    const rtp = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 2000 })
    media = rtp
    const sessions = async () => {
      const calls = await rtp.list()
      return calls.length
    }
    const port = await freeUdpPort()
    const phonePort = await freeUdpPort()
    const env = {
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      VOIP_EDGE_CREDENTIALS_FILE: credentialsFile,
      VOIP_EDGE_ROUTER: 'direct',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
      VOIP_EDGE_APP_BASE_URL: await cxml.start(),
      VOIP_EDGE_CDR_SPOOL_DIR: join(dir, 'cdr'),
    }
    const first = await startEdgeChild({ port, prefix, env })
    edges.push(first)

    // Every phone registers once, before the crash, and never again.
    const uac = await TestUac.open(port)
    let registered = 0
    try {
      for (const phone of phones) {
        const { final } = await uac.register({
          user: phone.username,
          realm: REALM,
          password: phone.password,
          contactPort: phonePort,
        })
        if (final.status === 200) registered++
      }
    } finally {
      uac.close()
    }
    const before = await Promise.all(phones.map((phone) => redis.hgetall(bindingKey(phone))))
    console.log(`edgerestart: ${registered}/${aors} AORs registered; ${established} calls up`)

    const targets = phones.slice(0, established)
    // rtpEcho everywhere: sipp leaves [media_port] empty in its SDP unless it opens media sockets.
    const callees = runSipp({
      rtpEcho: true,
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: phonePort,
      calls: established,
      timeoutMs: 120_000,
    })
    const callers = runSipp({
      rtpEcho: true,
      scenario: 'uac_call_silent_until_bye_expect_200.xml',
      port,
      users: targets.map(callerLine),
      calls: established,
      timeoutMs: 120_000,
    })
    const allUp = await waitUntil(async () => (await records()) >= established, 60_000)
    const recordsBefore = await records()
    const sessionsBefore = await sessions()
    const crashedOwners = await redis.smembers(`${prefix}edge:owners`)

    await first.crash()
    const crashedAt = Date.now()
    const second = await startEdgeChild({ port, prefix, env })
    edges.push(second)
    const restartS = (Date.now() - crashedAt) / 1000
    const [callerRun, calleeRun] = await Promise.all([callers, callees])
    const byeS = (Date.now() - crashedAt) / 1000
    for (const run of [callerRun, calleeRun])
      if (run.code !== 0) console.log(`edgerestart: ${run.scenario} failed:\n${run.output}`)
    const callerByes = successful(callerRun)
    const calleeByes = successful(calleeRun)
    const mediaCleared = await waitUntil(async () => (await sessions()) === 0, 10_000)
    const sessionsLeft = await sessions()
    const recordsLeft = await records()
    const owners = await redis.smembers(`${prefix}edge:owners`)
    const deadOwnersLeft = crashedOwners.filter((owner) => owners.includes(owner)).length
    await waitUntil(async () => cxml.cdrs.length >= established, 15_000)
    const cdrs = cxml.cdrs.filter(
      (cdr) => cdr.body.disposition === 'CONNECTED' && cdr.body.hangup_cause === 'edge_restart',
    ).length
    console.log(
      `edgerestart: BYEs ${callerByes}+${calleeByes}/${established}+${established} ${byeS.toFixed(1)} s after the kill`,
    )

    // Every registered extension is called once through the new process.
    const [afterCallers, afterCallees] = await Promise.all([
      runSipp({
        rtpEcho: true,
        scenario: 'uac_call_brief_expect_200.xml',
        port,
        users: phones.map(callerLine),
        calls: aors,
        timeoutMs: 240_000,
      }),
      runSipp({
        rtpEcho: true,
        scenario: 'uas_answer_expect_200.xml',
        port: 0,
        localPort: phonePort,
        calls: aors,
        timeoutMs: 240_000,
      }),
    ])
    const answered = successful(afterCallers)
    const reached = successful(afterCallees)
    const after = await Promise.all(phones.map((phone) => redis.hgetall(bindingKey(phone))))
    const unchanged = phones.filter(
      (_, i) =>
        Object.keys(before[i]).length === 1 &&
        JSON.stringify(before[i]) === JSON.stringify(after[i]),
    ).length
    await waitUntil(async () => (await sessions()) === 0, 10_000)
    const finalSessions = await sessions()
    const finalRecords = await records()

    return [
      {
        suite: `voip-edge restart (SIGKILL): ${aors} registered AORs called after the restart`,
        criterion:
          'calls to registered extensions succeed after restart without re-REGISTER (100 %)',
        figures:
          `${registered}/${aors} registered before the kill; new process answering OPTIONS by ${restartS.toFixed(1)} s after it (2 s probes); ` +
          `${answered}/${aors} calls answered (${reached} reached the phone), ${unchanged}/${aors} bindings unchanged (no REGISTER sent)`,
        pass:
          registered === aors &&
          answered === aors &&
          reached === aors &&
          unchanged === aors &&
          afterCallers.code === 0,
      },
      {
        suite: `voip-edge restart (SIGKILL): ${established} established calls of the crashed process`,
        criterion: `every dialog BYE'd on both legs ≤ ${BYE_BOUND_S} s; no call record or rtpengine session left`,
        figures:
          `${recordsBefore}/${established} calls recorded, ${sessionsBefore} rtpengine sessions at the kill; ` +
          `BYE received by ${callerByes}/${established} callers and ${calleeByes}/${established} callees, all within ${byeS.toFixed(1)} s; ` +
          `left after recovery: ${recordsLeft} records, ${deadOwnersLeft} dead owners, ${sessionsLeft} rtpengine sessions; ` +
          `${cdrs}/${established} CDRs (CONNECTED, hangup_cause edge_restart); after the follow-up calls: ${finalRecords} records, ${finalSessions} sessions`,
        pass:
          allUp &&
          recordsBefore === established &&
          callerByes === established &&
          calleeByes === established &&
          callerRun.code === 0 &&
          calleeRun.code === 0 &&
          byeS <= BYE_BOUND_S &&
          mediaCleared &&
          recordsLeft === 0 &&
          deadOwnersLeft === 0 &&
          cdrs >= established &&
          finalRecords === 0 &&
          finalSessions === 0,
      },
    ]
  } finally {
    for (const edge of edges) await edge.stop(5000)
    await deleteKeys(redis, prefix)
    redis.disconnect()
    media?.close()
    await cxml.stop()
    await daemon?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export const suite: Suite = {
  name: 'edgerestart',
  order: 80,
  describe: 'voip-edge SIGKILL and restart: registrations persist, crashed calls BYE’d (R18)',
  run: async (ctx) => {
    const redis = await ctx.redis()
    return edgeRestart(
      ctx.number('edgerestart-aors', 200, 50),
      ctx.number('edgerestart-calls', 20, 5),
      redis.port,
      ctx.edgeSecret,
    )
  },
}
