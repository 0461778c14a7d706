/**
 * API load (R21, issue #10): virtual users, each a real user with its own token, doing a
 * realistic /api/v1 mix with think time: 100 users, then a 500-user step, then 100 users
 * again to measure recovery. Figures per phase: requests, p50/p95/p99, errors, shed (429/503).
 *
 * Generators. The 100-user rows (load, recovery) are driven by wrk (C, epoll, a Lua script
 * with the same mix, think time and one token per user: reliability/lib/api_mix.lua), as
 * perf-reliability-targets.md advises against a same-box Node generator: its own event-loop
 * delay would be counted as server latency. The 500-user stress row keeps Node's fetch,
 * because its criterion needs the p99 of accepted (2xx) requests alone, which wrk cannot
 * separate from the fast 503s. `--api-generator=fetch` runs every row with fetch.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../lib/processes.ts'
import { Recorder, ms, pct } from '../lib/stats.ts'
import { sleep, type AppProcess } from '../lib/processes.ts'
import type { Seeded, Suite } from '../lib/suite.ts'
import type { Row } from '../lib/report.ts'

type VirtualUser = { token: string; tenant: Seeded['tenants'][number] }

let roomNumber = 1000

/* The mix: mostly reads (lists, details), some writes (rename, create). */
function operation(
  user: VirtualUser,
  random: number,
): { method: string; path: string; body?: object } {
  const extension =
    user.tenant.extensionIds[Math.floor(random * 1000) % user.tenant.extensionIds.length]
  if (random < 0.3) return { method: 'GET', path: '/api/v1/extensions?perPage=25' }
  if (random < 0.45) return { method: 'GET', path: '/api/v1/call-logs?perPage=25' }
  if (random < 0.55) return { method: 'GET', path: '/api/v1/ring-groups' }
  if (random < 0.65) return { method: 'GET', path: `/api/v1/extensions/${extension}` }
  if (random < 0.75) return { method: 'GET', path: '/api/v1/users?perPage=25' }
  if (random < 0.8) return { method: 'GET', path: '/api/v1/auth/me' }
  if (random < 0.9)
    return {
      method: 'PATCH',
      path: `/api/v1/extensions/${extension}`,
      body: { name: `Phone ${Math.floor(random * 1e6)}` },
    }
  roomNumber += 1
  return {
    method: 'POST',
    path: '/api/v1/conference-rooms',
    body: { number: String(roomNumber), name: `Room ${roomNumber}` },
  }
}

async function request(app: AppProcess, user: VirtualUser, recorder: Recorder) {
  const op = operation(user, Math.random())
  const started = performance.now()
  let status = 0
  try {
    const response = await fetch(`${app.url}${op.path}`, {
      method: op.method,
      headers: {
        authorization: `Bearer ${user.token}`,
        accept: 'application/json',
        ...(op.body ? { 'content-type': 'application/json' } : {}),
      },
      body: op.body ? JSON.stringify(op.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    })
    await response.arrayBuffer()
    status = response.status
  } catch {
    status = 0
  }
  recorder.add({ status, ms: performance.now() - started })
}

async function phase(app: AppProcess, users: VirtualUser[], seconds: number, thinkMs: number) {
  const recorder = new Recorder()
  const end = performance.now() + seconds * 1000
  await Promise.all(
    users.map(async (user, index) => {
      // Users start spread over one think time, not all in the same millisecond.
      await sleep((index / users.length) * thinkMs)
      while (performance.now() < end) {
        await request(app, user, recorder)
        await sleep(thinkMs * (0.5 + Math.random()))
      }
    }),
  )
  return figuresOf(recorder, seconds)
}

type Figures = {
  generator: 'wrk' | 'fetch'
  count: number
  rate: number
  p50: number
  p95: number
  p99: number
  /* p99 of 2xx answers only; null when the generator cannot tell (wrk). */
  acceptedP99: number | null
  statuses: Record<string, number>
}

function figuresOf(recorder: Recorder, seconds: number): Figures {
  return {
    generator: 'fetch',
    count: recorder.count,
    rate: recorder.count / seconds,
    p50: recorder.percentile(50),
    p95: recorder.percentile(95),
    p99: recorder.percentile(99),
    acceptedP99: recorder.percentile(99, 'accepted'),
    statuses: recorder.statuses,
  }
}

/** One phase driven by wrk (2 threads, one connection per user). */
async function wrkPhase(
  app: AppProcess,
  users: VirtualUser[],
  seconds: number,
  thinkMs: number,
  roomBase: number,
): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'opbx-wrk-'))
  try {
    const file = join(dir, 'users.lua')
    const entries = users.map(
      (u) => `{token=${JSON.stringify(u.token)},ext={${u.tenant.extensionIds.join(',')}}}`,
    )
    writeFileSync(file, `return {\n${entries.join(',\n')}\n}\n`)
    const threads = 2
    const args = [
      `-t${threads}`,
      `-c${users.length}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '-s',
      join(ROOT, 'reliability/lib/api_mix.lua'),
      app.url,
      '--',
      file,
      String(thinkMs),
      String(roomBase),
      String(threads),
    ]
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      child.stderr.on('data', (chunk) => (out += chunk))
      child.once('error', reject)
      child.once('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}:\n${out}`)),
      )
    })
    const line = /^WRK_RESULT (.*)$/m.exec(output)
    if (!line) throw new Error(`wrk printed no result:\n${output}`)
    const result = JSON.parse(line[1]) as {
      requests: number
      durationUs: number
      p50: number
      p95: number
      p99: number
      statuses: Record<string, number>
      errors: { connect: number; read: number; write: number; timeout: number }
    }
    const failed =
      result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout
    const statuses = { ...result.statuses }
    if (failed > 0) statuses['timeout/refused'] = failed
    return {
      generator: 'wrk',
      count: result.requests + result.errors.timeout,
      rate: result.requests / (result.durationUs / 1e6),
      p50: result.p50,
      p95: result.p95,
      p99: result.p99,
      acceptedP99: null,
      statuses,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const countOf = (statuses: Record<string, number>, predicate: (status: string) => boolean) =>
  Object.entries(statuses)
    .filter(([status]) => predicate(status))
    .reduce((sum, [, n]) => sum + n, 0)

/* The app's own count of sheds by reason (opbx_overload_shed_total; loopback may scrape). */
async function shedCounts(app: AppProcess) {
  try {
    const text = await fetch(`${app.url}/metrics`).then((response) => response.text())
    const counts: Record<string, number> = {}
    for (const match of text.matchAll(/^opbx_overload_shed_total\{([^}]*)\} (\d+)/gm)) {
      const reason = /reason="([^"]+)"/.exec(match[1])?.[1] ?? '?'
      counts[reason] = (counts[reason] ?? 0) + Number(match[2])
    }
    return JSON.stringify(counts)
  } catch (error) {
    return `unavailable (${(error as Error).message})`
  }
}

/*
 * The app's own histogram of 2xx /api/v1 answers (opbx_http_request_duration_seconds),
 * cumulative per bucket bound. Taken before and after a phase, the difference gives the
 * server-side latency of the requests it accepted, without the generator's own delays.
 */
async function acceptedBuckets(app: AppProcess) {
  const buckets = new Map<number, number>()
  const text = await fetch(`${app.url}/metrics`).then((response) => response.text())
  for (const match of text.matchAll(
    /^opbx_http_request_duration_seconds_bucket\{([^}]*)\} (\d+)/gm,
  )) {
    const labels = match[1]
    if (!/route="\/api\/v1\//.test(labels) || !/status="2\d\d"/.test(labels)) continue
    const le = /le="([^"]+)"/.exec(labels)?.[1] ?? '+Inf'
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]))
  }
  return buckets
}

/** p99 upper bound (the bucket it falls in) of the accepted requests between two scrapes. */
function serverP99(before: Map<number, number>, after: Map<number, number>) {
  const bounds = [...after.keys()].sort((a, b) => a - b)
  const delta = (bound: number) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0)
  const total = delta(Number.POSITIVE_INFINITY)
  if (total <= 0) return 'n/a'
  const bound = bounds.find((b) => delta(b) >= 0.99 * total)!
  return bound === Number.POSITIVE_INFINITY ? '> 5 s' : `≤ ${bound * 1000} ms`
}

export type ApiLoadOptions = {
  users: number
  seconds: number
  stressUsers: number
  stressSeconds: number
  recoverySeconds: number
  thinkMs: number
  generator: 'wrk' | 'fetch'
}

export async function apiLoad(
  app: AppProcess,
  seeded: Seeded,
  options: ApiLoadOptions,
): Promise<Row[]> {
  const everyone: VirtualUser[] = seeded.tenants.flatMap((tenant) =>
    tenant.tokens.map((token) => ({ token, tenant })),
  )
  if (everyone.length < options.stressUsers)
    throw new Error(`seeded ${everyone.length} users, the stress step needs ${options.stressUsers}`)
  const base = everyone.slice(0, options.users)
  const rows: Row[] = []
  const describe = (f: Figures) => {
    const shed = countOf(f.statuses, (s) => s === '429' || s === '503')
    const errors = countOf(
      f.statuses,
      (s) =>
        s === 'timeout/refused' ||
        (s.startsWith('5') && s !== '503') ||
        (s.startsWith('4') && s !== '429'),
    )
    return {
      shed,
      errors,
      errorRate: errors / Math.max(1, f.count),
      text:
        `${f.count} requests (${f.rate.toFixed(0)}/s, ${f.generator}), p50 ${ms(f.p50)}, p95 ${ms(f.p95)}, ` +
        `p99 ${ms(f.p99)}, errors ${pct(errors, f.count)}, shed ${pct(shed, f.count)} ` +
        `(${JSON.stringify(f.statuses)})`,
    }
  }
  // Room numbers of the wrk phases live above the fetch generator's (which count up from 1000).
  const loadPhase = (users: VirtualUser[], seconds: number, roomBase: number) =>
    options.generator === 'wrk'
      ? wrkPhase(app, users, seconds, options.thinkMs, roomBase)
      : phase(app, users, seconds, options.thinkMs)

  // A freshly started process loads controllers and compiles hot code on its first requests;
  // the rows measure a warm server (as a deployment serves), after 10 s of light traffic.
  console.log('API load: warm-up, 20 users for 10 s (not measured) …')
  await phase(app, base.slice(0, 20), 10, options.thinkMs)

  console.log(`API load: ${options.users} users for ${options.seconds} s …`)
  const normal = await loadPhase(base, options.seconds, 100_000)
  const n = describe(normal)
  rows.push({
    suite: `API load, ${options.users} users, ${options.seconds} s`,
    criterion: 'p95 < 500 ms, error rate < 0.1 %',
    figures: n.text,
    pass: normal.p95 < 500 && n.errorRate < 0.001,
  })

  console.log(`API load: ${options.stressUsers} users for ${options.stressSeconds} s …`)
  const bucketsBefore = await acceptedBuckets(app)
  const stress = await phase(
    app,
    everyone.slice(0, options.stressUsers),
    options.stressSeconds,
    options.thinkMs,
  )
  const s = describe(stress)
  const alive = await fetch(`${app.url}/health`).then(
    () => true,
    () => false,
  )
  const sheds = await shedCounts(app)
  const serverSide = serverP99(bucketsBefore, await acceptedBuckets(app))
  const crashes = countOf(stress.statuses, (st) => st === '500' || st === 'timeout/refused')
  const acceptedP99 = stress.acceptedP99 ?? Number.POSITIVE_INFINITY
  rows.push({
    suite: `API stress, ${options.stressUsers} users, ${options.stressSeconds} s`,
    criterion:
      'never crashes; overload shed as 429/503 (no 500s, no timeouts), so accepted requests keep p99 ≤ 1 s',
    figures: `${s.text}; accepted p99 ${ms(acceptedP99)} (server-side, from the app's histogram: ${serverSide}); server sheds by reason ${sheds}; process alive after: ${alive}`,
    pass: alive && crashes === 0 && acceptedP99 <= 1000,
  })

  console.log(`API load: recovery, ${options.users} users for ${options.recoverySeconds} s …`)
  const recovery = await loadPhase(base, options.recoverySeconds, 200_000)
  const r = describe(recovery)
  rows.push({
    suite: `API recovery, ${options.users} users, ${options.recoverySeconds} s after the step`,
    criterion: 'back to p95 < 500 ms and < 0.1 % errors within 30 s',
    figures: r.text,
    pass: recovery.p95 < 500 && r.errorRate < 0.001,
  })
  return rows
}

export const suite: Suite = {
  name: 'api',
  order: 10,
  describe: '100 API users for 5 minutes, a 500-user stress step, then recovery (R21)',
  async run(ctx) {
    const seeded = await ctx.seeded()
    const app = await ctx.startApp()
    try {
      return await apiLoad(app, seeded, {
        users: ctx.number('api-users', 100, 100),
        seconds: ctx.number('api-seconds', 300, 45),
        stressUsers: ctx.number('stress-users', 500, 500),
        stressSeconds: ctx.number('stress-seconds', 60, 30),
        recoverySeconds: ctx.number('recovery-seconds', 30, 30),
        thinkMs: ctx.number('think-ms', 1000, 1000),
        generator: generator(ctx.text('api-generator', 'auto')),
      })
    } finally {
      await app.stop()
    }
  },
}

/* wrk when it is installed (see wrkPhase), else Node's fetch. */
function generator(value: string): 'wrk' | 'fetch' {
  if (value === 'wrk' || value === 'fetch') return value
  if (value !== 'auto') throw new Error('--api-generator must be wrk or fetch')
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
  } catch (error) {
    // wrk --version exits with 1 after printing its banner; only a missing binary matters.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'fetch'
  }
  return 'wrk'
}
