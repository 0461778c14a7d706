/**
 * Soak (G5/R23, issue #10; opt-in: `--soak` or `--only=soak`). The whole PBX as `npm start`
 * runs it: the app, its queue worker, voip-edge with the http router against the app (SIP
 * credentials, routing and events all through the app, signed) and rtpengine, all on their
 * own redis-server. sipp places extension-to-extension calls with media through the edge at
 * a steady rate (default 27 calls/s: voip-edge's 54 call setups/s benchmark halved; a
 * 3-minute trial on two shared cores carried 4,860/4,860 calls at a load average of 3), while
 * API reads run at a steady rate too (20/s, under the per-user API limit). Every 30 s it samples the RSS and open file descriptors of app, worker and edge, the
 * redis key count and the number of rtpengine sessions.
 *
 * Pass (§6 G5): failed calls ≤ 0.01 %; each sampled figure's last-quarter average within
 * ±5 % of its first-quarter average (the first tenth of the run, at least a minute, is
 * warm-up and left out); one call
 * record (call_logs) and one CDR per call placed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { callerArgs, launchSipp } from '../../voip-edge/bench/sipp_results.ts'
import { freeUdpPort, startRtpengine } from '../../voip-edge/tests/support/processes.ts'
import { TestUac } from '../../voip-edge/tests/support/test_uac.ts'
import { SCENARIOS } from '../../voip-edge/tests/support/sipp.ts'
import { RtpEngine } from '../../voip-edge/src/media/rtpengine.ts'
import { freePort, sleep, startRedis, type AppProcess } from '../lib/processes.ts'
import { psql } from '../lib/database.ts'
import { openFdsOf, rssOf, startAppEdge, startWorker } from '../lib/soak_processes.ts'
import { Recorder, ms, pct } from '../lib/stats.ts'
import type { Seeded, Suite } from '../lib/suite.ts'
import type { Row } from '../lib/report.ts'
import { UNLIMITED } from './webhook_flood.ts'
import { echoingCalleeArgs } from '../lib/sipp_callee.ts'

type Sample = {
  at: number
  appRss: number
  workerRss: number
  edgeRss: number
  appFds: number
  workerFds: number
  edgeFds: number
  redisKeys: number
  sessions: number
}

const FIGURES: { key: Exclude<keyof Sample, 'at'>; label: string; unit: 'MiB' | '' }[] = [
  { key: 'appRss', label: 'app RSS', unit: 'MiB' },
  { key: 'workerRss', label: 'worker RSS', unit: 'MiB' },
  { key: 'edgeRss', label: 'edge RSS', unit: 'MiB' },
  { key: 'appFds', label: 'app fds', unit: '' },
  { key: 'workerFds', label: 'worker fds', unit: '' },
  { key: 'edgeFds', label: 'edge fds', unit: '' },
  { key: 'redisKeys', label: 'Redis keys without expiry', unit: '' },
  { key: 'sessions', label: 'rtpengine sessions', unit: '' },
]

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

async function api(app: AppProcess, token: string, method: string, path: string) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  })
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as { data: Record<string, string> }
}

/** Steady API reads (list pages of the tenants' extensions and calls), open loop. */
function apiReads(app: AppProcess, seeded: Seeded, rate: number) {
  const recorder = new Recorder()
  let stopping = false
  const paths = ['/api/v1/extensions?perPage=20', '/api/v1/call-logs?perPage=20']
  const done = (async () => {
    const inFlight = new Set<Promise<void>>()
    let due = performance.now()
    for (let n = 0; !stopping; n++) {
      const wait = due - performance.now()
      if (wait > 1) await sleep(wait)
      due += 1000 / rate
      if (inFlight.size >= 100) await Promise.race(inFlight)
      const tenant = seeded.tenants[n % seeded.tenants.length]
      const token = tenant.tokens[n % tenant.tokens.length]
      const started = performance.now()
      const flight: Promise<void> = fetch(`${app.url}${paths[n % paths.length]}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(15_000),
      })
        .then(async (response) => {
          await response.arrayBuffer()
          recorder.add({ status: response.status, ms: performance.now() - started })
        })
        .catch(() => recorder.add({ status: 0, ms: performance.now() - started }))
        .finally(() => inFlight.delete(flight))
      inFlight.add(flight)
    }
    await Promise.all(inFlight)
  })()
  return {
    recorder,
    async stop() {
      stopping = true
      await done
    },
  }
}

/*
 * Keys without an expiry: these must stay flat. Keys with one (webhook idempotency for
 * 24 h, digest nonces, caches) grow with traffic until their TTL and then plateau, so in a
 * run shorter than their TTL they cannot be flat and are reported apart, with the longest
 * TTL that bounds them.
 */
async function redisKeys(redis: Redis) {
  let persistent = 0
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000)
    cursor = next
    if (keys.length === 0) continue
    const ttls = await Promise.all(keys.map((key) => redis.ttl(key)))
    persistent += ttls.filter((ttl) => ttl === -1).length
  } while (cursor !== '0')
  return persistent
}

async function expiringKeys(redis: Redis) {
  let count = 0
  let longest = 0
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000)
    cursor = next
    const ttls = await Promise.all(keys.map((key) => redis.ttl(key)))
    for (const ttl of ttls) {
      if (ttl <= 0) continue
      count++
      longest = Math.max(longest, ttl)
    }
  } while (cursor !== '0')
  return `${count} keys with an expiry (the longest ${(longest / 3600).toFixed(1)} h)`
}

/* Which kinds of key Redis holds (the first two segments of the name), largest first. */
async function keyFamilies(redis: Redis) {
  const families = new Map<string, number>()
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000)
    cursor = next
    for (const key of keys) {
      const family = key.split(':').slice(0, 2).join(':')
      families.set(family, (families.get(family) ?? 0) + 1)
    }
  } while (cursor !== '0')
  return [...families]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([family, n]) => `${family}:* ${n}`)
    .join(', ')
}

/* Why sipp's failed calls failed: its -trace_err log, call ids and timestamps left out. */
function sippErrors(dir: string) {
  const reasons = new Map<string, number>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('_errors.log'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      // An entry is a timestamped line with the reason; the SIP message follows on its own lines.
      const entry = /^\d{4}-\d\d-\d\d\s+[\d:.]+\s+[\d.]+:\s*(.*)$/.exec(line)
      if (!entry) continue
      const reason = entry[1]
        .replace(/Call-I[Dd] '[^']*'/g, 'Call-ID')
        .replace(/Call-I[Dd]: \S+/g, 'Call-ID')
        .replace(/\s+/g, ' ')
        .slice(0, 160)
        .trim()
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
    }
  }
  // sipp's own tally by kind of failure (-trace_stat), cumulative in the last row.
  for (const file of readdirSync(dir).filter((f) => f.endsWith('_.csv'))) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)
    const header = lines[0]?.split(';') ?? []
    const last = lines.at(-1)?.split(';') ?? []
    header.forEach((name, i) => {
      if (name.startsWith('Failed') && name !== 'FailedCall(C)' && name.endsWith('(C)'))
        if (Number(last[i]) > 0) reasons.set(`sipp ${name.slice(0, -3)}`, Number(last[i]))
    })
  }
  return [...reasons]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([reason, n]) => `${n}× ${reason}`)
}

export async function soak(
  ctx: Parameters<Suite['run']>[0],
  options: { minutes: number; cps: number; apiRate: number; sampleSeconds: number },
): Promise<Row[]> {
  const seeded = await ctx.seeded()
  const tenant = seeded.tenants[0]
  const owner = tenant.tokens[0]
  const dir = mkdtempSync(join(tmpdir(), 'opbx-soak-'))
  const stops: (() => Promise<unknown>)[] = []
  try {
    // Its own redis-server: its key count is the soak's alone.
    const redis = await startRedis()
    stops.push(() => redis.stop())
    const redisClient = new Redis({ port: redis.port, lazyConnect: false })
    stops.push(async () => redisClient.disconnect())
    const appEnv = {
      ...UNLIMITED,
      REDIS_PORT: String(redis.port),
      QUEUE_PREFIX: `opbx-soak-${process.pid}`,
    }
    const app = await ctx.startApp(appEnv)
    stops.push(() => app.stop())
    const worker = await startWorker({ ...(await ctx.appEnv()), ...appEnv })
    stops.push(() => worker.stop())
    const rtpengine = await startRtpengine({ ports: 4000 })
    stops.push(() => rtpengine.stop())
    const edge = await startAppEdge({
      appUrl: app.url,
      secret: ctx.edgeSecret,
      sipPort: await freeUdpPort(),
      controlPort: await freePort(),
      rtpengineNg: `127.0.0.1:${rtpengine.ngPort}`,
      redisPort: redis.port,
      redisPrefix: 'voip-edge-soak:',
      env: {
        VOIP_EDGE_TENANT_MAX_CALLS: '100000',
        VOIP_EDGE_TENANT_MAX_CPS: '100000',
      },
    })
    stops.push(() => edge.stop())

    // Two of the tenant's phones, with passwords the soak knows (the seed's are random).
    const [caller, callee] = await Promise.all(
      tenant.extensionIds
        .slice(0, 2)
        .map((id) => api(app, owner, 'POST', `/api/v1/extensions/${id}/sip-password`)),
    )
    const calleePort = await freeUdpPort()
    const register = async () => {
      const uac = await TestUac.open(edge.sipPort)
      try {
        const result = await uac.register({
          user: callee.data.sipUsername,
          realm: tenant.domain,
          password: callee.data.sipPassword,
          contactPort: calleePort,
          expires: 3600,
        })
        if (result.final.status !== 200)
          throw new Error(`callee registration answered ${result.final.status}`)
      } finally {
        uac.close()
      }
    }
    await register()
    writeFileSync(
      join(dir, 'users.csv'),
      `SEQUENTIAL\n${caller.data.sipUsername};[authentication username=${caller.data.sipUsername} password=${caller.data.sipPassword}];${tenant.domain};${callee.data.sipUsername}\n`,
    )
    symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
    const seconds = options.minutes * 60
    const planned = Math.round(options.cps * seconds)
    const uas = launchSipp([...(await echoingCalleeArgs(calleePort))], {
      cwd: dir,
      timeoutSec: seconds + 600,
      keepChars: 20_000,
    })
    stops.push(() => uas.stop())
    const startedAt = new Date()
    const loadAtStart = loadavg()[0].toFixed(2)
    const sessionsClient = new RtpEngine({
      host: '127.0.0.1',
      port: rtpengine.ngPort,
      timeoutMs: 2000,
    })
    stops.push(async () => sessionsClient.close())
    const uac = launchSipp(
      [
        ...(await callerArgs({
          scenario: join(SCENARIOS, 'uac_call_expect_200.xml'),
          target: `127.0.0.1:${edge.sipPort}`,
          cps: options.cps,
          calls: planned,
          limit: options.cps * 20,
        })),
        '-inf',
        join(dir, 'users.csv'),
        '-trace_err',
        '-trace_stat',
        '-fd',
        '60',
      ],
      { cwd: dir, timeoutSec: seconds + 300, keepChars: 20_000 },
    )
    stops.push(() => uac.stop())
    const reads = apiReads(app, seeded, options.apiRate)
    stops.push(() => reads.stop())
    ctx.log(
      `soak: ${options.minutes} min, ${options.cps} calls/s (${planned} calls), ${options.apiRate} API reads/s`,
    )

    // Sessions move with every call: poll them often and keep each window's average.
    const samples: Sample[] = []
    let window: number[] = []
    let finished = false
    void uac.exit.then(() => (finished = true))
    const t0 = performance.now()
    let nextSample = t0 + options.sampleSeconds * 1000
    while (!finished) {
      await sleep(2000)
      const sessions = await sessionsClient.list(100_000).catch(() => [])
      window.push(sessions.length)
      if (performance.now() < nextSample || finished) continue
      nextSample += options.sampleSeconds * 1000
      // The registration is refreshed long before it expires, as a phone does.
      await register().catch((error: Error) => ctx.log(`soak: ${error.message}`))
      const sample: Sample = {
        at: (performance.now() - t0) / 1000,
        appRss: rssOf(app.pid),
        workerRss: rssOf(worker.pid),
        edgeRss: rssOf(edge.pid),
        appFds: openFdsOf(app.pid),
        workerFds: openFdsOf(worker.pid),
        edgeFds: openFdsOf(edge.pid),
        redisKeys: await redisKeys(redisClient),
        sessions: average(window),
      }
      window = []
      samples.push(sample)
      ctx.log(
        `soak t=${sample.at.toFixed(0)}s rss app ${(sample.appRss / 2 ** 20).toFixed(0)} MiB worker ${(sample.workerRss / 2 ** 20).toFixed(0)} edge ${(sample.edgeRss / 2 ** 20).toFixed(0)}; ` +
          `fds ${sample.appFds}/${sample.workerFds}/${sample.edgeFds}; redis keys ${sample.redisKeys}; sessions ${sample.sessions.toFixed(1)}`,
      )
    }
    await reads.stop()
    const families = await keyFamilies(redisClient)
    const expiring = await expiringKeys(redisClient)
    const exitCode = await uac.exit
    const output = uac.output()
    const counter = (name: string) =>
      Number(new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(output)?.[1] ?? Number.NaN)
    const successful = counter('Successful call')
    const failed = counter('Failed call')
    const placed = successful + failed
    const errors = failed > 0 ? sippErrors(dir) : []

    // The edge delivers CDRs through its spool: wait until the records stop arriving.
    const records = () => {
      const [[logs, cdrs]] = psql(
        ctx.database,
        `select (select count(*) from call_logs where organization_id = ${tenant.id}
                   and created_at >= '${startedAt.toISOString()}'),
                (select count(*) from call_detail_records where organization_id = ${tenant.id}
                   and created_at >= '${startedAt.toISOString()}')`,
      )
      return { logs: Number(logs), cdrs: Number(cdrs) }
    }
    let counted = records()
    for (let i = 0; i < 60 && (counted.logs < placed || counted.cdrs < placed); i++) {
      await sleep(1000)
      counted = records()
    }

    /*
     * Steady state: the first tenth of the run (at least a minute) is warm-up, while V8
     * sizes its heaps, the JIT settles and pools fill; quarters of what remains are compared.
     */
    const warmUp = Math.max(60, options.minutes * 6)
    const steady = samples.filter((s) => s.at > warmUp)
    const quarter = Math.max(1, Math.floor(steady.length / 4))
    const first = steady.slice(0, quarter)
    const last = steady.slice(-quarter)
    const drifts = FIGURES.map(({ key, label, unit }) => {
      const a = average(first.map((s) => s[key]))
      const b = average(last.map((s) => s[key]))
      const drift = a === 0 ? (b === 0 ? 0 : Number.POSITIVE_INFINITY) : (b - a) / a
      const show = (v: number) =>
        unit === 'MiB' ? `${(v / 2 ** 20).toFixed(1)} MiB` : v.toFixed(1)
      return {
        label,
        drift,
        text: `${label} ${show(a)} → ${show(b)} (${(drift * 100).toFixed(1)} %)`,
      }
    })
    const notFlat = drifts.filter((d) => !(Math.abs(d.drift) <= 0.05))
    const failedShare = placed > 0 ? failed / placed : 1
    const readsR = reads.recorder
    return [
      {
        suite: `Soak ${options.minutes} min: ${options.cps} calls/s with media through edge + rtpengine, ${options.apiRate} API reads/s`,
        criterion:
          'failed calls ≤ 0.01 %; RSS, fds, Redis keys without expiry, rtpengine sessions flat ±5 % (first vs last quarter after warm-up; keys with a TTL are bounded by it and reported apart); call records = calls placed',
        figures:
          `${placed} calls placed (${successful} ok, ${failed} failed = ${pct(failed, placed)}, sipp exit ${exitCode}); ` +
          `call_logs ${counted.logs}, CDRs ${counted.cdrs}; ${samples.length} samples, ${first.length} vs ${last.length} compared: ` +
          `${drifts.map((d) => d.text).join('; ')} (Redis keys at the end: ${families}; ${expiring}); API reads ${readsR.count} (${JSON.stringify(readsR.statuses)}, p99 ${ms(readsR.percentile(99))}); ` +
          `load average ${loadAtStart} at the start, ${loadavg()[0].toFixed(2)} at the end` +
          (errors.length > 0 ? `; sipp errors: ${errors.join(' / ')}` : '') +
          (notFlat.length > 0 ? `; not flat: ${notFlat.map((d) => d.label).join(', ')}` : ''),
        pass:
          placed > 0 &&
          placed === planned &&
          failedShare <= 0.0001 &&
          steady.length >= 2 &&
          notFlat.length === 0 &&
          counted.logs === placed &&
          counted.cdrs === placed,
      },
    ]
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  }
}

export const suite: Suite = {
  name: 'soak',
  order: 200,
  optIn: true,
  describe:
    'soak: calls with media + API reads at half the benchmark rates; resources flat ±5 %, call records = calls (G5/R23)',
  async run(ctx) {
    return soak(ctx, {
      minutes: ctx.number('soak-minutes', 60, 5),
      cps: ctx.number('soak-cps', 27, 27),
      apiRate: ctx.number('soak-api-rate', 20, 20),
      sampleSeconds: ctx.number('soak-sample-seconds', 30, 30),
    })
  },
}
