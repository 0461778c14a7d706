/**
 * R22 registration storm: N AORs (20,000) registered on a voip-edge process, which is then
 * killed (SIGKILL) and started again on the same port and Redis prefix; as soon as it
 * answers, every AOR re-registers within 30 s (sipp, one source IP, digest with the 401
 * challenge, UDP retransmissions on). All must succeed within 60 s, and none may be refused
 * or locked out: a storm of legitimate phones behind one address is exactly what a
 * brute-force guard must not mistake for an attack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { ROOT } from '../lib/processes.ts'
import type { Row } from '../lib/report.ts'
import type { Suite } from '../lib/suite.ts'
import {
  deletePrefix,
  freeUdp,
  percentile,
  rssMb,
  runSippTo,
  spawnEdge,
  type EdgeChild,
  type SippResult,
} from '../lib/storm_edge.ts'

const TENANTS = 10
const WINDOW_S = 30
const DEADLINE_S = 60

async function register(
  target: number,
  users: string,
  count: number,
  rate: number,
  timeoutS: number,
): Promise<SippResult> {
  return runSippTo(
    [
      '-sf',
      join(ROOT, 'voip-edge/scenarios/uac_register_digest_expect_200.xml'),
      `127.0.0.1:${target}`,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdp()),
      '-inf',
      users,
      '-r',
      String(rate),
      '-m',
      String(count),
      '-l',
      String(count),
      '-buff_size',
      '8388608',
      '-trace_rtt',
      '-rtt_freq',
      '1000',
      '-trace_err',
      '-trace_stat',
      '-fd',
      '1',
      // The whole run ends at the deadline: whatever has not succeeded by then failed.
      '-timeout',
      `${timeoutS}s`,
      '-timeout_error',
    ],
    { killAfterMs: (timeoutS + 15) * 1000 },
  )
}

/** The brute-force guard's block keys (IP blocks and AOR lockouts) under the edge's prefix. */
async function blockKeys(redisUrl: string, prefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 })
  try {
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}bf:*`, 'COUNT', 1000)
      found.push(...keys.filter((key) => key.endsWith(':block') || key.includes(':block:')))
      cursor = next
    } while (cursor !== '0')
    return found
  } finally {
    redis.disconnect()
  }
}

const describeUnexpected = (result: SippResult) =>
  Object.entries(result.unexpected)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ') || 'none'

export async function registrationStorm(aors: number, redisPort: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opbx-reliability-storm-'))
  const redisUrl = `redis://127.0.0.1:${redisPort}`
  const prefix = `storm:${process.pid}:`
  const perTenant = Math.ceil(aors / TENANTS)
  const tenants = Array.from({ length: TENANTS }, (_tenant, t) => ({
    organizationId: `storm-org-${t}`,
    realm: `storm${t}.pbx.test`,
    extensions: Array.from({ length: perTenant }, (_, i) => ({
      extensionId: `storm-${t}-${i}`,
      username: String(10_000 + i),
      password: `storm-${t}-${i}-${randomPart()}`,
    })),
  }))
  const credentialsFile = join(dir, 'tenants.json')
  writeFileSync(credentialsFile, JSON.stringify(tenants))
  // Tenants interleaved, as phones of many customers would arrive.
  const lines: string[] = []
  for (let i = 0; i < perTenant && lines.length < aors; i++)
    for (const tenant of tenants) {
      if (lines.length >= aors) break
      const e = tenant.extensions[i]
      lines.push(
        `${e.username};[authentication username=${e.username} password=${e.password}];${tenant.realm}`,
      )
    }
  const users = join(dir, 'users.csv')
  writeFileSync(users, ['SEQUENTIAL', ...lines, ''].join('\n'))

  const port = await freeUdp()
  const options = {
    host: '127.0.0.1',
    port,
    redisUrl,
    prefix,
    credentialsFile,
    // REGISTER only: keep the media health pings away from any real rtpengine.
    env: { VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${await freeUdp()}` },
  }
  const rate = Math.ceil(aors / (WINDOW_S - 2))
  let edge: EdgeChild | null = null
  const results: SippResult[] = []
  try {
    edge = spawnEdge(options)
    await edge.ready()
    console.log(`storm: initial registration of ${aors} AORs at ${rate}/s`)
    const initial = await register(port, users, aors, rate, DEADLINE_S)
    results.push(initial)
    const rssBefore = rssMb(edge.pid)

    // The restart: no drain, no goodbye; the bindings survive in Redis.
    edge.child.kill('SIGKILL')
    await new Promise((resolve) => edge!.child.once('exit', resolve))
    const restarted = Date.now()
    edge = spawnEdge(options)
    await edge.ready()
    const restartMs = Date.now() - restarted
    console.log(`storm: edge back after ${restartMs} ms; ${aors} re-registrations at ${rate}/s`)

    let rssPeak = rssMb(edge.pid)
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(edge!.pid))), 500)
    const loadAtStart = loadavg()[0].toFixed(1)
    const storm = await register(port, users, aors, rate, DEADLINE_S)
    clearInterval(sampler)
    results.push(storm)
    const blocks = await blockKeys(redisUrl, prefix)
    const alive = edge.child.exitCode === null && edge.child.signalCode === null

    const refused = Object.entries(storm.unexpected)
      .filter(([status]) => status.startsWith('4') && status !== '401')
      .reduce((sum, [, n]) => sum + n, 0)
    // From sipp's per-second statistics: when the last REGISTER was offered and when the
    // last registration succeeded (null: not within the run).
    const when = (done: (sample: SippResult['samples'][number]) => boolean) =>
      storm.samples.find(done)?.t ?? null
    const offeredAt = when((sample) => sample.created >= aors)
    const completedAt = when((sample) => sample.successful >= aors)
    const retransmitted = storm.samples.at(-1)?.retransmissions ?? Number.NaN
    const seconds = (t: number | null) => (t === null ? 'never' : `${t.toFixed(0)} s`)
    const p50 = percentile(storm.rtts, 50)
    const p99 = percentile(storm.rtts, 99)
    return [
      {
        suite: `Registration storm: ${aors} AORs re-register after a voip-edge restart (SIGKILL), ${TENANTS} tenants, one source IP`,
        criterion: `offered within ${WINDOW_S} s; 100 % registered within ${DEADLINE_S} s; 0 refusals (403/4xx) and 0 lockouts`,
        figures:
          `initial ${initial.successful}/${aors} registered; edge answering ${(restartMs / 1000).toFixed(1)} s after the restart; ` +
          `storm offered at ${rate}/s, all offered after ${seconds(offeredAt)}: ${storm.successful}/${aors} registered ` +
          `(all after ${seconds(completedAt)}; ${storm.failed} failed; refusals: ${describeUnexpected(storm)}; ` +
          `unanswered after retransmissions: ${storm.retransTimeouts}; ${retransmitted} retransmissions), ` +
          `REGISTER→401→REGISTER→200 p50 ${p50} ms, p99 ${p99} ms; ${blocks.length} block/lockout keys; ` +
          `edge RSS ${rssBefore} MB before the restart, peak ${rssPeak} MB during the storm; ` +
          `load average ${loadAtStart} → ${loadavg()[0].toFixed(1)}` +
          (alive ? '' : '; EDGE DIED'),
        pass:
          initial.successful === aors &&
          offeredAt !== null &&
          offeredAt <= WINDOW_S &&
          completedAt !== null &&
          completedAt <= DEADLINE_S &&
          storm.successful === aors &&
          refused === 0 &&
          blocks.length === 0 &&
          alive,
      },
    ]
  } finally {
    await edge?.stop('SIGKILL')
    for (const result of results) result.cleanup()
    await deletePrefix(redisUrl, prefix)
    rmSync(dir, { recursive: true, force: true })
  }
}

function randomPart() {
  return Math.random().toString(36).slice(2, 10)
}

export const suite: Suite = {
  name: 'storm',
  order: 90,
  describe: 'Registration storm: 20,000 AORs re-register within 30 s of a voip-edge restart (R22)',
  run: async (ctx) => {
    const redis = await ctx.redis()
    return registrationStorm(ctx.number('storm-aors', 20_000, 5000), redis.port)
  },
}
