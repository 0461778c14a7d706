/**
 * `npm run reliability`: the long reliability suites of issue #10, bounded and self-stopping
 * (API load with a stress step and recovery, webhook flood with triple shuffled deliveries,
 * ≥ 100k-message SIP fuzz, toll-fraud guardrails). Prints a table and writes
 * docs/reliability.md. Exit code 1 when a row fails.
 *
 * Everything it needs it starts itself, on loopback: a fresh database (opbx_reliability),
 * a dedicated redis-server on a random port, the app (bin/server.ts) and the edge.
 */
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import { execFileSync } from 'node:child_process'
import { ROOT, startApp, startRedis, type AppProcess } from './lib/processes.ts'
import { freshDatabase } from './lib/database.ts'
import { printTable, writeDoc, type Row } from './lib/report.ts'
import { apiLoad } from './suites/api_load.ts'
import { webhookFlood } from './suites/webhook_flood.ts'
import { tollFraud } from './suites/toll_fraud.ts'
import { sipFuzz } from './suites/sip_fuzz.ts'

export type Seeded = {
  run: string
  tenants: {
    id: number
    domain: string
    secret: string
    dids: string[]
    tokens: string[]
    extensionIds: number[]
  }[]
}

function flags() {
  const values: Record<string, string> = {}
  for (const arg of process.argv.slice(2)) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg}`)
    values[match[1]] = match[2] ?? 'true'
  }
  const quick = values.quick === 'true'
  const number = (name: string, full: number, short: number) => {
    const value = Number(values[name] ?? (quick ? short : full))
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number`)
    return value
  }
  return {
    quick,
    only: new Set((values.only ?? 'api,flood,fuzz,fraud').split(',')),
    doc: values['no-doc'] !== 'true',
    apiUsers: number('api-users', 100, 100),
    apiSeconds: number('api-seconds', 300, 45),
    stressUsers: number('stress-users', 500, 500),
    stressSeconds: number('stress-seconds', 60, 30),
    recoverySeconds: number('recovery-seconds', 30, 30),
    thinkMs: number('think-ms', 1000, 1000),
    apiGenerator: generator(values['api-generator']),
    floodRate: number('flood-rate', 3000, 3000),
    floodSeconds: number('flood-seconds', 60, 15),
    floodInFlight: number('flood-in-flight', 256, 256),
    fuzzCount: number('fuzz-count', 100_000, 100_000),
  }
}

/* wrk when it is installed (see reliability/suites/api_load.ts), else Node's fetch. */
function generator(value: string | undefined): 'wrk' | 'fetch' {
  if (value === 'wrk' || value === 'fetch') return value
  if (value !== undefined) throw new Error('--api-generator must be wrk or fetch')
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
  } catch (error) {
    // wrk --version exits with 1 after printing its banner; only a missing binary matters.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'fetch'
  }
  return 'wrk'
}

const DATABASE = 'opbx_reliability'

function seed(tenants: number, usersPerTenant: number): Seeded {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      '@poppinss/ts-exec',
      'reliability/lib/seed_app.ts',
      String(tenants),
      String(usersPerTenant),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, DB_DATABASE: DATABASE, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    },
  )
  return JSON.parse(out.trim().split('\n').pop()!)
}

async function main() {
  const options = flags()
  const started = new Date()
  const loadAtStart = loadavg()[0].toFixed(2)
  const rows: Row[] = []
  const edgeSecret = randomBytes(32).toString('base64url')
  const needsApp = ['api', 'flood', 'fraud'].some((s) => options.only.has(s))
  let app: AppProcess | null = null
  let redis: Awaited<ReturnType<typeof startRedis>> | null = null
  try {
    if (needsApp) {
      console.log(`database ${DATABASE}: recreating and migrating …`)
      freshDatabase(DATABASE)
      const tenants = 10
      const seeded = seed(
        tenants,
        Math.ceil(Math.max(options.stressUsers, options.apiUsers) / tenants),
      )
      redis = await startRedis()
      const appEnv = {
        DB_DATABASE: DATABASE,
        REDIS_PORT: String(redis.port),
        REDIS_DB: '0',
        QUEUE_PREFIX: `opbx-reliability-${process.pid}`,
        STORAGE_ROOT: 'tmp/storage-reliability',
        VOIP_EDGE_SIGNING_SECRET: edgeSecret,
      }
      if (options.only.has('api')) {
        app = await startApp(appEnv)
        rows.push(
          ...(await apiLoad(app, seeded, {
            users: options.apiUsers,
            seconds: options.apiSeconds,
            stressUsers: options.stressUsers,
            stressSeconds: options.stressSeconds,
            recoverySeconds: options.recoverySeconds,
            thinkMs: options.thinkMs,
            generator: options.apiGenerator,
          })),
        )
        await app.stop()
        app = null
      }
      // The flood and fraud checks measure the handlers, not the per-IP budget (tested in CI).
      app = await startApp({
        ...appEnv,
        WEBHOOK_RATE_LIMIT: '10000000',
        VOICE_RATE_LIMIT: '10000000',
        WEBHOOK_IP_CEILING: '10000000',
        VOICE_IP_CEILING: '10000000',
      })
      if (options.only.has('flood'))
        rows.push(
          ...(await webhookFlood(app, seeded, {
            rate: options.floodRate,
            seconds: options.floodSeconds,
            maxInFlight: options.floodInFlight,
            database: DATABASE,
            edgeSecret,
          })),
        )
      if (options.only.has('fraud')) rows.push(...(await tollFraud(app, seeded, edgeSecret)))
    }
    if (options.only.has('fuzz')) rows.push(...(await sipFuzz(options.fuzzCount)))
  } finally {
    await app?.stop()
    await redis?.stop()
  }
  const seconds = (Date.now() - started.getTime()) / 1000
  printTable(rows)
  if (options.doc) {
    const { only, doc, ...settings } = options
    writeDoc(rows, { ...settings, only: [...only].join('+'), loadAtStart }, started, seconds)
    console.log('docs/reliability.md written')
    void doc
  }
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1
}

await main()
