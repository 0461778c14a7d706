/** The results table: printed, and written to docs/reliability.md by the run itself. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpus, totalmem, release, type, loadavg } from 'node:os'
import { execFileSync } from 'node:child_process'
import { ROOT } from './processes.ts'

export type Row = { suite: string; criterion: string; figures: string; pass: boolean }

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
) {
  const m = machine()
  const lines = [
    '# Reliability: latest figures',
    '',
    'Written by `npm run reliability` (reliability/run.ts) at the end of each run; do not edit by',
    'hand. The fast suites (tenant-isolation matrix, injection, duplicate delivery, ring-group',
    'lock contention, a 10k-message SIP fuzz, user enumeration, a Redis outage) run in CI:',
    '`tests/reliability/` (app, `node ace test reliability`) and `voip-edge/tests/reliability/`',
    '(`cd voip-edge && node bin/test.ts reliability`). The criteria come from',
    '`perf-reliability-targets.md` §6 (R1–R23) and issue #10.',
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
    '',
    '| Suite | Criterion | Figures | Result |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.suite)} | ${cell(r.criterion)} | ${cell(r.figures)} | ${r.pass ? 'PASS' : '**FAIL**'} |`,
    ),
    '',
    `${rows.filter((r) => r.pass).length} of ${rows.length} rows pass.`,
    '',
    '## How to run',
    '',
    '```',
    'npm run reliability                     # full settings (about 10 minutes)',
    'npm run reliability -- --quick          # short settings (about 3 minutes)',
    'npm run reliability -- --only=fuzz,fraud --fuzz-count=200000',
    '```',
    '',
    'Flags: `--api-users`, `--api-seconds`, `--stress-users`, `--stress-seconds`,',
    '`--recovery-seconds`, `--think-ms`, `--flood-rate`, `--flood-seconds`, `--flood-in-flight`,',
    '`--fuzz-count`, `--only=api,flood,fuzz,fraud`, `--no-doc` (do not rewrite this file).',
    '',
  ]
  writeFileSync(join(ROOT, 'docs/reliability.md'), lines.join('\n'))
}
