/** The results table: printed, and written to docs/reliability.md by the run itself. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpus, totalmem, release, type, loadavg } from 'node:os'
import { execFileSync } from 'node:child_process'
import { ROOT } from './processes.ts'
import type { Suite } from './suite.ts'

export type Row = {
  suite: string
  criterion: string
  figures: string
  pass: boolean
  /** The suite that produced the row (set by the runner). */
  name?: string
}

const DOC = () => join(ROOT, 'docs/reliability.md')

/*
 * A run of some suites (`--only`) replaces their rows and keeps the others' from the file,
 * each marked with the run it came from, so one suite can be re-run (the hour-long soak)
 * without losing the latest figures of the rest. A row's first cell starts with its suite's
 * name in backticks; that is how the rows are told apart.
 */
function keptRows(runNames: Set<string>): string[] {
  if (!existsSync(DOC())) return []
  const text = readFileSync(DOC(), 'utf8')
  const runOf = /^- Date: (\S+)/m.exec(text)?.[1]
  const commitOf = /^- Machine: .*, commit (\S+)$/m.exec(text)?.[1]
  return text.split('\n').flatMap((line) => {
    const name = /^\| `([a-z]+)` /.exec(line)?.[1]
    if (!name || runNames.has(name)) return []
    // Rows kept before carry their own run already.
    if (line.includes('(earlier run:')) return [line]
    return [
      line.replace(/^(\| `[a-z]+` [^|]*?) \|/, `$1 (earlier run: ${runOf}, commit ${commitOf}) |`),
    ]
  })
}

export function machine() {
  const cpu = cpus()
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: ROOT,
        encoding: 'utf8',
      }).trim()
    } catch {
      return 'unknown'
    }
  })()
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${type()} ${release()}`,
    node: process.version,
    commit,
  }
}

export function printTable(rows: Row[]) {
  console.log('')
  for (const row of rows) {
    console.log(`${row.pass ? 'PASS' : 'FAIL'}  ${row.suite}`)
    console.log(`      criterion: ${row.criterion}`)
    console.log(`      ${row.figures}`)
  }
  const failed = rows.filter((r) => !r.pass).length
  console.log(`\n${rows.length - failed} passed, ${failed} failed`)
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function writeDoc(
  rows: Row[],
  settings: Record<string, unknown>,
  started: Date,
  seconds: number,
  suites: Suite[],
  partial = false,
) {
  const m = machine()
  const kept = partial ? keptRows(new Set(rows.map((r) => r.name ?? ''))) : []
  const passed = rows.filter((r) => r.pass).length + kept.filter((l) => / PASS \|$/.test(l)).length
  const lines = [
    '# Reliability: latest figures',
    '',
    'Written by `npm run reliability` (reliability/run.ts) at the end of each run; do not edit by',
    'hand. The fast suites (tenant-isolation matrix, injection, duplicate delivery, ring-group',
    'lock contention and fencing, a 10k-message SIP fuzz, user enumeration, a Redis outage, a',
    'PostgreSQL outage) run in CI: `tests/reliability/` (app, `node ace test reliability`) and',
    '`voip-edge/tests/reliability/` (`cd voip-edge && node bin/test.ts reliability`), with the',
    "edge's fault handling (rtpengine restart, edge crash recovery, app unreachable) in",
    '`voip-edge/tests/integration/`. The criteria come from `perf-reliability-targets.md` §6',
    '(R1–R23) and issue #10.',
    '',
    `- Date: ${started.toISOString()} (run took ${Math.round(seconds)} s)`,
    `- Machine: ${m.cpu}, ${m.memory}, ${m.os}, Node ${m.node}, commit ${m.commit}`,
    `- Load average (1 min) at the start: ${String(settings.loadAtStart)}, at the end: ${loadavg()[0].toFixed(2)}` +
      ' (other work on the box shares the cores: compare runs only at similar load)',
    `- Settings: ${Object.entries(settings)
      .filter(([k]) => k !== 'loadAtStart')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '- Everything on loopback; the load generator shares the cores with the app, PostgreSQL,',
    '  Redis and the edge. The app runs as its own process on its own database',
    '  (`opbx_reliability`, recreated per run) and its own redis-server (random port).',
    '- API load generators: the 100-user rows run on wrk (reliability/lib/api_mix.lua: same mix,',
    '  think time, one token per user) when it is installed; the 500-user stress row runs on',
    "  Node's fetch, whose per-request timing gives the p99 of accepted requests alone (wrk",
    '  cannot separate 2xx from the fast 503s); its own CPU and event-loop delay count in its',
    '  figures. Each row names its generator. The rows start after 10 s of unmeasured warm-up',
    '  traffic (20 users) on the freshly started app.',
    '',
    '| Suite | Criterion | Figures | Result |',
    '|---|---|---|---|',
    ...kept,
    ...rows.map(
      (r) =>
        `| ${r.name ? `\`${r.name}\` ` : ''}${cell(r.suite)} | ${cell(r.criterion)} | ${cell(r.figures)} | ${r.pass ? 'PASS' : '**FAIL**'} |`,
    ),
    '',
    `${passed} of ${rows.length + kept.length} rows pass.` +
      (kept.length > 0
        ? ` This run (the date above) ran ${[...new Set(rows.map((r) => `\`${r.name}\``))].join(', ')}; the rows marked "earlier run" are the latest figures of the other suites.`
        : ''),
    '',
    '## Where each test of §6 lives',
    '',
    '| # | Where | State |',
    '|---|---|---|',
    '| R1 | voip-edge `unit/sip/parser.spec.ts` (RFC 4475 messages) | in CI |',
    '| R2 | PROTOS c07-sip | not run (no copy of the suite on this box) |',
    '| R3 | voip-edge `reliability/sip_fuzz.spec.ts` (10k, CI) and the 100k row above | in CI + here |',
    '| R4 | voip-edge `reliability/sip_fuzz.spec.ts` (identical answers; median timing printed) | in CI |',
    '| R5, R6 | voip-edge `integration/registrar.spec.ts`, `integration/sipp_scenarios.spec.ts` | in CI (single-IP and two-source brute force, nonce replay/expiry, cross-realm) |',
    '| R7 | voip-edge `integration/calls.spec.ts` (unauthenticated INVITE → 407, unknown domain → 403) | in CI |',
    '| R8 | `tests/reliability/injection.spec.ts` | in CI |',
    '| R9, R10 | `tests/functional/webhooks/webhook_auth.spec.ts`, `webhook_idempotency.spec.ts` | in CI |',
    '| R11 | `tests/reliability/duplicate_delivery.spec.ts` (CI) and the flood row above | in CI + here |',
    '| R12 | `tests/reliability/tenant_isolation_matrix.spec.ts` (every route), `injection.spec.ts` (SQL in sort/filter) | in CI |',
    '| R13 | the toll-fraud rows above (`fraud`); `tests/functional/fraud/` | in CI + here |',
    '| R14 | the `webkill` rows; voip-edge `integration/app_unavailable.spec.ts` (503 + Retry-After when the app is gone) | in CI + here |',
    '| R15 | `tests/reliability/redis_outage.spec.ts` (dedicated redis-server; 503 + Retry-After, no duplicates after) and the `redis` row (60 s) | in CI + here |',
    '| R16 | `tests/reliability/postgres_outage.spec.ts` (a cuttable proxy in front of PostgreSQL) and the `postgres` rows (edge CDR spool delivers after recovery) | in CI + here |',
    '| R17 | voip-edge `integration/rtpengine_restart.spec.ts` and the `rtpengine` rows | in CI + here |',
    '| R18 | voip-edge `integration/edge_restart.spec.ts`, `integration/call_records.spec.ts` and the `edgerestart` rows | in CI + here |',
    '| R19 | `tests/reliability/lock_fencing.spec.ts` (SIGSTOPped writer process) and the `fencing` rows | in CI + here |',
    '| R20 | the `netem` row: this kernel has no `sch_netem`, so the 10 % loss and 50 ± 20 ms delay are applied by a user-space relay over TUN devices into a network namespace (reliability/lib/netem_link.py); the ACK bug it found is covered by voip-edge `unit/dialog/uas_ack.spec.ts` | here (+ CI for the fix) |',
    '| R21 | the API stress and flood rows above | here |',
    '| R22 | the `storm` row (20,000 AORs after an edge SIGKILL restart) | here |',
    '| R23 | the `soak` suite, opt-in (`--soak`, `--soak-minutes=60`) | here, when asked for |',
    '| lock contention | `tests/reliability/ring_group_contention.spec.ts` | in CI |',
    '',
    '## How to run',
    '',
    '```',
    'npm run reliability                     # every suite but the opt-in ones, full settings',
    'npm run reliability -- --quick          # short settings',
    'npm run reliability -- --only=fuzz,fraud --fuzz-count=200000',
    '```',
    '',
    'Suites (`--only=<names>`; opt-in ones run only when named or flagged):',
    '',
    ...suites.map(
      (s) => `- \`${s.name}\`${s.optIn ? ' (opt-in: `--' + s.name + '`)' : ''}: ${s.describe}`,
    ),
    '',
    'Numeric settings are flags of their own (`--api-users=200`, `--fuzz-count=200000`; the',
    'settings line above lists the ones this run used). `--no-doc` leaves this file alone. A',
    "run of some suites (`--only`) replaces their rows and keeps the other suites' rows, each",
    'marked with the run it came from.',
    '',
  ]
  writeFileSync(DOC(), lines.join('\n'))
}
