/**
 * `npm run reliability`: the long reliability suites of issue #10, bounded and self-stopping.
 * Prints a table and writes docs/reliability.md. Exit code 1 when a row fails.
 *
 * Suites are the modules in reliability/suites/ that export `suite` (reliability/lib/suite.ts);
 * they run in their `order`. Everything they need is started on loopback by the run itself:
 * a fresh database (opbx_reliability), a dedicated redis-server on a random port, app and
 * edge processes, rtpengine, sipp.
 *
 *   npm run reliability [-- --quick] [-- --only=api,fuzz] [-- --soak] [-- --no-doc]
 *                       [-- --database=opbx_reliability] [-- --<flag>=<n>]
 */
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { ROOT, startApp, startRedis, type AppProcess, type RedisProcess } from './lib/processes.ts'
import { freshDatabase } from './lib/database.ts'
import { printTable, writeDoc, type Row } from './lib/report.ts'
import type { Seeded, Suite, SuiteContext } from './lib/suite.ts'

export type { Seeded } from './lib/suite.ts'

function parseArgs() {
  const values: Record<string, string> = {}
  for (const arg of process.argv.slice(2)) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg} (flags look like --name or --name=value)`)
    values[match[1]] = match[2] ?? 'true'
  }
  return values
}

async function discover(): Promise<Suite[]> {
  const dir = join(ROOT, 'reliability/suites')
  const suites: Suite[] = []
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const module = (await import(join(dir, file))) as { suite?: Suite }
    if (module.suite) suites.push(module.suite)
  }
  return suites.sort((a, b) => a.order - b.order)
}

function seed(database: string, tenants: number, usersPerTenant: number): Seeded {
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
      env: { ...process.env, DB_DATABASE: database, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    },
  )
  return JSON.parse(out.trim().split('\n').pop()!)
}

async function main() {
  const args = parseArgs()
  // Two runs at once (say, while developing suites) each need their own database.
  const DATABASE = args.database ?? 'opbx_reliability'
  if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error('--database must be a plain identifier')
  const quick = args.quick === 'true'
  const all = await discover()
  const known = new Set(all.map((s) => s.name))
  const only = args.only ? new Set(args.only.split(',')) : null
  for (const name of only ?? []) {
    if (!known.has(name))
      throw new Error(`--only: no suite "${name}" (suites: ${[...known].join(', ')})`)
  }
  const chosen = all.filter((s) => (only ? only.has(s.name) : !s.optIn || args[s.name] === 'true'))
  const settings: Record<string, unknown> = { quick }
  const started = new Date()
  const loadAtStart = loadavg()[0].toFixed(2)
  const edgeSecret = randomBytes(32).toString('base64url')
  const apps: AppProcess[] = []
  let redis: RedisProcess | null = null
  let seeded: Seeded | null = null
  const ctx: SuiteContext = {
    quick,
    number(name, full, short) {
      const value = Number(args[name] ?? (quick ? short : full))
      if (!Number.isFinite(value) || value <= 0)
        throw new Error(`--${name} must be a positive number`)
      settings[name] = value
      return value
    },
    text(name, fallback) {
      const value = args[name] ?? fallback
      settings[name] = value
      return value
    },
    database: DATABASE,
    async seeded() {
      if (!seeded) {
        console.log(`database ${DATABASE}: recreating and migrating …`)
        freshDatabase(DATABASE)
        const users = Math.max(
          ctx.number('stress-users', 500, 500),
          ctx.number('api-users', 100, 100),
        )
        seeded = seed(DATABASE, 10, Math.ceil(users / 10))
      }
      return seeded
    },
    async redis() {
      redis ??= await startRedis()
      return redis
    },
    edgeSecret,
    async appEnv() {
      const shared = await ctx.redis()
      return {
        DB_DATABASE: DATABASE,
        REDIS_PORT: String(shared.port),
        REDIS_DB: '0',
        QUEUE_PREFIX: `opbx-reliability-${process.pid}`,
        STORAGE_ROOT: 'tmp/storage-reliability',
        VOIP_EDGE_SIGNING_SECRET: edgeSecret,
      }
    },
    async startApp(extra = {}) {
      const app = await startApp({ ...(await ctx.appEnv()), ...extra })
      apps.push(app)
      return app
    },
    log: (message) => console.log(message),
  }

  const rows: Row[] = []
  try {
    for (const suite of chosen) {
      console.log(`\n== ${suite.name}: ${suite.describe}`)
      try {
        const produced = await suite.run(ctx)
        rows.push(...produced.map((row) => ({ ...row, name: suite.name })))
      } catch (error) {
        // One broken suite must not hide the others' figures: it becomes a failed row.
        console.error(error)
        rows.push({
          name: suite.name,
          suite: suite.name,
          criterion: suite.describe,
          figures: `the suite stopped with an error: ${(error as Error).message.split('\n')[0]}`,
          pass: false,
        })
      }
    }
  } finally {
    for (const app of apps) await app.stop()
    await (redis as RedisProcess | null)?.stop()
  }
  const seconds = (Date.now() - started.getTime()) / 1000
  printTable(rows)
  if (args['no-doc'] !== 'true') {
    writeDoc(
      rows,
      { ...settings, only: chosen.map((s) => s.name).join('+'), loadAtStart },
      started,
      seconds,
      all,
      args.only !== undefined,
    )
    console.log('docs/reliability.md written')
  }
  process.exitCode = rows.length > 0 && rows.every((row) => row.pass) ? 0 : 1
}

await main().catch((error: Error) => {
  console.error(`reliability: ${error.message}`)
  process.exitCode = 2
})
