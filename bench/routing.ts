/**
 * Routing throughput of the app: signed `POST /api/voice/route` requests, as voip-edge sends
 * them, driven by wrk against the real server (NODE_ENV=production, PostgreSQL, Redis) over
 * 100 tenants × 50 DIDs, then the same wrk and the same requests against a bare node:http
 * hello server in the same run, for a baseline of what this machine can do at all.
 * Not a test: figures drift with the machine and its load; compare within one run.
 *
 *   npm run bench:routing [-- seconds=20 connections=32]
 *
 * Uses its own database (BENCH_DB, default opbx_bench, created and migrated when missing),
 * its own Redis database (BENCH_REDIS_DB, default 14) and a free port: never the dev or test
 * databases. Every request carries a unique X-Edge-Request-Id (ids are claimed for
 * idempotency), so requests are signed in advance and wrk reads them from a file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHmac, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.split('=') as [string, string]),
)
const SECONDS = Number(args.seconds ?? 20)
const CONNECTIONS = Number(args.connections ?? 32)
const TENANTS = 100
const DIDS_PER_TENANT = 50
/* Requests signed per run: enough for this many decisions a second, none reused. */
const MAX_RATE = Number(args.maxRate ?? 6000)
const DATABASE = process.env.BENCH_DB ?? 'opbx_bench'
const REDIS_DB = process.env.BENCH_REDIS_DB ?? '14'
const SECRET = 'bench-edge-signing-secret-0123456789abcdef'
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'opbx-routing-bench-'))

if (!/^opbx_bench\w*$/.test(DATABASE)) {
  console.error(`BENCH_DB must start with opbx_bench (got ${DATABASE}): it is truncated and seeded`)
  process.exit(2)
}
if (spawnSync('wrk', ['--version']).error) {
  console.error('wrk is not installed (apt-get install wrk)')
  process.exit(2)
}

const connection = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'opbx',
  password: process.env.DB_PASSWORD ?? 'opbx',
}

async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  await new Promise<void>((done) => server.close(() => done()))
  return typeof address === 'object' && address ? address.port : 0
}

/* psql, so the bench needs no driver of its own. */
function psql(database: string, sql: string): string {
  const result = spawnSync(
    'psql',
    ['-h', connection.host, '-p', String(connection.port), '-U', connection.user, '-d', database],
    {
      input: sql,
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: connection.password },
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  if (result.status !== 0 || /ERROR/.test(result.stderr)) {
    throw new Error(`psql failed: ${result.stderr || result.error}`)
  }
  return result.stdout
}

function ensureDatabase() {
  const found = psql(
    'postgres',
    `\\pset tuples_only on\nSELECT 1 FROM pg_database WHERE datname = '${DATABASE}';`,
  )
  if (!found.includes('1')) psql('postgres', `CREATE DATABASE ${DATABASE};`)
}

const appEnv = (port: number): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  APP_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'warn',
  DB_DATABASE: DATABASE,
  REDIS_DB,
  QUEUE_PREFIX: 'opbx-bench',
  STORAGE_ROOT: join(dir, 'storage'),
  VOIP_EDGE_SIGNING_SECRET: SECRET,
  // One load generator is one IP: the per-IP voice budget would otherwise stop it after
  // its first minute's 1,000 calls. The limiter still runs on every request.
  VOICE_RATE_LIMIT: '100000000',
  VOICE_IP_CEILING: '100000000',
})

function migrate() {
  const result = spawnSync(
    process.execPath,
    ['ace', 'migration:run', '--force', '--compact-output'],
    { cwd: root, env: appEnv(3333), stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  )
  if (result.status !== 0) throw new Error(`migrations failed on ${DATABASE}: ${result.stdout}`)
}

type Tenant = { domain: string; dids: string[] }

/* Each tenant: 6 extensions, three ring groups (one per hunting strategy), an IVR menu, a
 * schedule, a room, and 50 DIDs spread over every routing target; one PL/pgSQL block. */
const SEED_SQL = `
TRUNCATE organizations RESTART IDENTITY CASCADE;
DO $$
DECLARE
  t int; i int; e int; org int; menu int; schedule int; room int;
  ext int[]; grp int[]; kind text; target int;
  strategies text[] := ARRAY['simultaneous', 'sequential', 'round_robin'];
BEGIN
  FOR t IN 0..${TENANTS - 1} LOOP
    INSERT INTO organizations (name, slug, sip_domain, timezone, created_at, updated_at)
      VALUES ('Bench ' || t, 'bench-' || t, 'bench-' || lpad(t::text, 3, '0') || '.pbx.test',
              'UTC', now(), now()) RETURNING id INTO org;
    INSERT INTO organization_settings (organization_id, tenant_mode, created_at, updated_at)
      VALUES (org, 'edge', now(), now());
    ext := ARRAY[]::int[];
    FOR e IN 0..5 LOOP
      INSERT INTO extensions (organization_id, number, name, voicemail_enabled, created_at, updated_at)
        VALUES (org, (101 + e)::text, 'Ext ' || (101 + e), e = 0, now(), now())
        RETURNING id INTO target;
      ext := ext || target;
    END LOOP;
    grp := ARRAY[]::int[];
    FOR e IN 1..3 LOOP
      INSERT INTO ring_groups (organization_id, name, strategy, created_at, updated_at)
        VALUES (org, 'Group ' || strategies[e], strategies[e], now(), now()) RETURNING id INTO target;
      grp := grp || target;
      FOR i IN 1..3 LOOP
        INSERT INTO ring_group_members (organization_id, ring_group_id, extension_id, priority, created_at, updated_at)
          VALUES (org, target, ext[i + e - 1], i, now(), now());
      END LOOP;
    END LOOP;
    INSERT INTO ivr_menus (organization_id, name, prompt_tts_text, created_at, updated_at)
      VALUES (org, 'Main', 'Press 1 for sales, 2 for support.', now(), now()) RETURNING id INTO menu;
    FOR i IN 1..2 LOOP
      INSERT INTO ivr_menu_options (organization_id, ivr_menu_id, digit, target_type, target_id, position, created_at, updated_at)
        VALUES (org, menu, i::text, 'ring_group', grp[i], i, now(), now());
    END LOOP;
    INSERT INTO business_hours_schedules (organization_id, name, timezone, open_target_type, open_target_id,
        closed_target_type, closed_target_id, created_at, updated_at)
      VALUES (org, 'Office', 'America/New_York', 'ring_group', grp[1], 'voicemail', ext[1], now(), now())
      RETURNING id INTO schedule;
    FOR i IN 1..5 LOOP
      INSERT INTO business_hours_rules (organization_id, schedule_id, day_of_week, start_time, end_time, created_at, updated_at)
        VALUES (org, schedule, i, '09:00', '17:00', now(), now());
    END LOOP;
    INSERT INTO conference_rooms (organization_id, number, name, created_at, updated_at)
      VALUES (org, '800', 'Room', now(), now()) RETURNING id INTO room;
    FOR i IN 0..${DIDS_PER_TENANT - 1} LOOP
      kind := (ARRAY['extension', 'ring_group', 'ring_group', 'ring_group', 'ivr_menu',
                     'business_hours', 'conference_room', 'voicemail', 'extension', 'hangup'])[i % 10 + 1];
      target := (ARRAY[ext[2], grp[1], grp[2], grp[3], menu, schedule, room, ext[1], ext[3], NULL])[i % 10 + 1];
      INSERT INTO phone_numbers (organization_id, number, routing_type, routing_target_id, created_at, updated_at)
        VALUES (org, '+1555' || lpad(t::text, 3, '0') || lpad(i::text, 4, '0'), kind, target, now(), now());
    END LOOP;
  END LOOP;
END $$;
`

function seed(): Tenant[] {
  const domain = (t: number) => `bench-${String(t).padStart(3, '0')}.pbx.test`
  const did = (t: number, i: number) =>
    `+1555${String(t).padStart(3, '0')}${String(i).padStart(4, '0')}`
  const tenants = Array.from({ length: TENANTS }, (_, t) => ({
    domain: domain(t),
    dids: Array.from({ length: DIDS_PER_TENANT }, (__, i) => did(t, i)),
  }))
  const counts = psql(
    DATABASE,
    `\\pset tuples_only on\nSELECT (SELECT count(*) FROM organizations WHERE slug LIKE 'bench-%') || '/' || (SELECT count(*) FROM phone_numbers);`,
  )
  if (counts.trim() !== `${TENANTS}/${TENANTS * DIDS_PER_TENANT}`) psql(DATABASE, SEED_SQL)
  return tenants
}

/* One request per line: three header values and the body, tab-separated. */
function signRequests(tenants: Tenant[], count: number, file: string) {
  const path = '/api/voice/route'
  const lines: string[] = []
  const timestamp = Math.floor(Date.now() / 1000)
  for (let n = 0; n < count; n++) {
    const tenant = tenants[n % TENANTS]
    const to = tenant.dids[Math.floor(n / TENANTS) % DIDS_PER_TENANT]
    const requestId = randomUUID()
    const body = JSON.stringify({
      CallSid: requestId.replaceAll('-', ''),
      From: `+1202555${String(n % 10_000).padStart(4, '0')}`,
      To: to,
      Direction: 'inbound',
      CallStatus: 'ringing',
      Domain: tenant.domain,
      ApiVersion: '1',
    })
    const signature = createHmac('sha256', SECRET)
      .update(`${timestamp}.${requestId}.POST.${path}.${body}`)
      .digest('hex')
    lines.push([tenant.domain, requestId, timestamp, `v1=${signature}`, body].join('\t'))
  }
  writeFileSync(file, lines.join('\n') + '\n')
  return lines
}

/*
 * Every DID once before measuring (16 at a time): production serves a working set from a
 * warm routing cache (entries live 10 minutes), so a run must not measure first-call misses.
 */
async function warm(port: number, lines: string[]) {
  let next = 0
  let failures = 0
  const worker = async () => {
    while (next < lines.length) {
      const [domain, id, ts, signature, body] = lines[next++].split('\t')
      const response = await fetch(`http://127.0.0.1:${port}/api/voice/route`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-cx-domain': domain,
          'x-edge-request-id': id,
          'x-edge-timestamp': ts,
          'x-edge-signature': signature,
        },
        body,
      })
      await response.text()
      if (response.status !== 200) failures++
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  if (failures > 0) throw new Error(`${failures} warm-up requests failed`)
}

const LUA = `
local requests = {}
local next_index = 1
local wrapped = 0

function init(args)
  for line in io.lines(args[1]) do
    local domain, id, ts, sig, body = line:match("^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", "/api/voice/route", {
      ["Content-Type"] = "application/json",
      ["X-Cx-Domain"] = domain,
      ["X-Edge-Request-Id"] = id,
      ["X-Edge-Timestamp"] = ts,
      ["X-Edge-Signature"] = sig,
    }, body)
  end
end

function request()
  local r = requests[next_index]
  next_index = next_index + 1
  if next_index > #requests then next_index = 1; wrapped = wrapped + 1 end
  return r
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
`

/* Reads the whole body like the app does, then answers a constant. */
const HELLO = `
require('node:http').createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/plain' })
    response.end('hello')
  })
}).listen(Number(process.argv[1]), '127.0.0.1')
`

type WrkResult = {
  requests: number
  seconds: number
  rate: number
  p50: number
  p99: number
  non2xx: number
  socketErrors: number
}

function runWrk(port: number, file: string, seconds: number): WrkResult {
  const script = join(dir, 'requests.lua')
  writeFileSync(script, LUA)
  const result = spawnSync(
    'wrk',
    [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      '--timeout',
      '5s',
      '-s',
      script,
      `http://127.0.0.1:${port}`,
      '--',
      file,
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  )
  const line = result.stdout.split('\n').find((l) => l.startsWith('WRK '))
  if (!line) throw new Error(`wrk failed: ${result.stderr || result.stdout}`)
  const f = Object.fromEntries(
    line
      .slice(4)
      .split(' ')
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k, Number(v)]),
  )
  const secs = f.duration_us / 1e6
  return {
    requests: f.requests,
    seconds: secs,
    rate: f.requests / secs,
    p50: f.p50_us / 1000,
    p99: f.p99_us / 1000,
    non2xx: f.status,
    socketErrors: f.connect + f.read + f.write + f.timeout,
  }
}

async function waitForHttp(port: number, child: ChildProcess) {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('a server exited while starting')
    try {
      await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) })
      return
    } catch {
      await new Promise((done) => setTimeout(done, 250))
    }
  }
  throw new Error('a server did not start within 180 s')
}

function print(name: string, r: WrkResult) {
  console.log(
    `${name}: ${r.rate.toFixed(0)} req/s over ${r.seconds.toFixed(1)} s (${r.requests} requests), ` +
      `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ` +
      `errors: ${r.non2xx} non-2xx, ${r.socketErrors} socket`,
  )
}

/* SIGTERM, then SIGKILL if the app has not shut down after 15 s (its CPU profile, when
 * asked for, is written on a clean exit). */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((done) => child.once('exit', done))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

const step = (text: string) => console.error(`[bench] ${text}`)

let app: ChildProcess | null = null
let hello: ChildProcess | null = null
try {
  step(`database ${DATABASE}: create if missing, migrate, seed if needed`)
  ensureDatabase()
  migrate()
  const tenants = seed()
  console.log(
    `seeded ${TENANTS} tenants × ${DIDS_PER_TENANT} DIDs in ${DATABASE}; ` +
      `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s`,
  )

  const port = await freePort()
  // profile=1: a V8 CPU profile of the app under load, in tmp/bench-profile/.
  const profile = args.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'tmp/bench-profile')}`]
    : []
  app = spawn(process.execPath, [...profile, '--import', '@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: root,
    env: appEnv(port),
    stdio: ['ignore', process.env.BENCH_APP_LOG ? 'inherit' : 'ignore', 'inherit'],
  })
  step(`app starting on port ${port} (NODE_ENV=production)`)
  await waitForHttp(port, app)
  step(`app up; warming up: one call to each of the ${TENANTS * DIDS_PER_TENANT} DIDs`)
  spawnSync('redis-cli', ['-n', REDIS_DB, 'FLUSHDB'])

  // Warm-up (JIT, pools, routing cache): every DID once, with its own request ids.
  await warm(port, signRequests(tenants, TENANTS * DIDS_PER_TENANT, join(dir, 'warm.tsv')))

  const file = join(dir, 'requests.tsv')
  signRequests(tenants, SECONDS * MAX_RATE, file)
  step(`measuring routing for ${SECONDS} s`)
  const routing = runWrk(port, file, SECONDS)
  if (routing.requests > SECONDS * MAX_RATE) {
    console.warn('more requests than signed ones: raise maxRate, ids were reused')
  }
  await stop(app)

  // The baseline runs in its own process, like the app: wrk blocks this one.
  const helloPort = await freePort()
  hello = spawn(process.execPath, ['-e', HELLO, String(helloPort)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitForHttp(helloPort, hello)
  step(`measuring the node:http baseline for ${SECONDS} s`)
  const baseline = runWrk(helloPort, file, SECONDS)

  print('routing decisions', routing)
  print('node:http hello  ', baseline)
  console.log(`ratio: routing = ${((routing.rate / baseline.rate) * 100).toFixed(1)}% of hello`)
  const met =
    routing.rate >= 1500 && routing.p99 <= 25 && routing.non2xx + routing.socketErrors === 0
  console.log(`target (≥1,500/s, p99 ≤ 25 ms, 0 errors): ${met ? 'met' : 'NOT met'}`)
} finally {
  if (app) await stop(app)
  if (hello) await stop(hello)
  rmSync(dir, { recursive: true, force: true })
}
