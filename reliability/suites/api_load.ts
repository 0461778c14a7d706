/**
 * API load (R21, issue #10): virtual users, each a real user with its own token, doing a
 * realistic /api/v1 mix with think time: 100 users, then a 500-user step, then 100 users
 * again to measure recovery. Figures per phase: requests, p50/p95/p99, errors, shed (429/503).
 *
 * The generator is Node's fetch in the same box (2 cores shared with the app, PostgreSQL and
 * Redis): at these rates (≈ 1 request/s per user) it is not the bottleneck, but its CPU is
 * part of the picture.
 */
import { Recorder, ms, pct } from '../lib/stats.ts'
import { sleep, type AppProcess } from '../lib/processes.ts'
import type { Seeded } from '../run.ts'
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
  return { recorder, rate: recorder.count / seconds }
}

export type ApiLoadOptions = {
  users: number
  seconds: number
  stressUsers: number
  stressSeconds: number
  recoverySeconds: number
  thinkMs: number
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
  const describe = (r: Recorder, rate: number) => {
    const shed = r.countOf((s) => s === '429' || s === '503')
    const errors = r.countOf(
      (s) =>
        s === 'timeout/refused' ||
        (s.startsWith('5') && s !== '503') ||
        (s.startsWith('4') && s !== '429'),
    )
    return {
      shed,
      errors,
      text:
        `${r.count} requests (${rate.toFixed(0)}/s), p50 ${ms(r.percentile(50))}, p95 ${ms(r.percentile(95))}, ` +
        `p99 ${ms(r.percentile(99))}, errors ${pct(errors, r.count)}, shed ${pct(shed, r.count)} ` +
        `(${JSON.stringify(r.statuses)})`,
    }
  }

  console.log(`API load: ${options.users} users for ${options.seconds} s …`)
  const normal = await phase(app, base, options.seconds, options.thinkMs)
  const n = describe(normal.recorder, normal.rate)
  rows.push({
    suite: `API load, ${options.users} users, ${options.seconds} s`,
    criterion: 'p95 < 500 ms, error rate < 0.1 %',
    figures: n.text,
    pass:
      normal.recorder.percentile(95) < 500 && n.errors / Math.max(1, normal.recorder.count) < 0.001,
  })

  console.log(`API load: ${options.stressUsers} users for ${options.stressSeconds} s …`)
  const stress = await phase(
    app,
    everyone.slice(0, options.stressUsers),
    options.stressSeconds,
    options.thinkMs,
  )
  const s = describe(stress.recorder, stress.rate)
  const alive = await fetch(`${app.url}/health`).then(
    () => true,
    () => false,
  )
  const crashes = stress.recorder.countOf((st) => st === '500' || st === 'timeout/refused')
  rows.push({
    suite: `API stress, ${options.stressUsers} users, ${options.stressSeconds} s`,
    criterion:
      'never crashes; overload shed as 429/503 (no 500s, no timeouts), so accepted requests keep p99 ≤ 1 s',
    figures: `${s.text}; accepted p99 ${ms(stress.recorder.percentile(99, 'accepted'))}; process alive after: ${alive}`,
    pass: alive && crashes === 0 && stress.recorder.percentile(99, 'accepted') <= 1000,
  })

  console.log(`API load: recovery, ${options.users} users for ${options.recoverySeconds} s …`)
  const recovery = await phase(app, base, options.recoverySeconds, options.thinkMs)
  const r = describe(recovery.recorder, recovery.rate)
  rows.push({
    suite: `API recovery, ${options.users} users, ${options.recoverySeconds} s after the step`,
    criterion: 'back to p95 < 500 ms and < 0.1 % errors within 30 s',
    figures: r.text,
    pass:
      recovery.recorder.percentile(95) < 500 &&
      r.errors / Math.max(1, recovery.recorder.count) < 0.001,
  })
  return rows
}
