/** R3 long run: the CI fuzzer (voip-edge/tests/reliability) with ≥ 100k messages. */
import { fuzz, type FuzzReport } from '../../voip-edge/tests/reliability/support/sip_fuzzer.ts'
import { startEdgeProcess } from '../../voip-edge/tests/reliability/support/edge_process.ts'
import { rssMb } from '../../voip-edge/tests/reliability/support/sip_fuzzer.ts'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sleep } from '../lib/processes.ts'
import type { Row } from '../lib/report.ts'
import type { Suite } from '../lib/suite.ts'

/** The edge's JS heap in use right after a forced full collection, in MB (see heap_probe.ts). */
async function heapAfterGcMb(pid: number, file: string): Promise<number | null> {
  const before = readLines(file).length
  process.kill(pid, 'SIGUSR2')
  for (let waited = 0; waited < 5000; waited += 100) {
    await sleep(100)
    const lines = readLines(file)
    if (lines.length > before) return Math.round(Number(lines.at(-1)) / 1e5) / 10
  }
  return null
}

function readLines(file: string) {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean)
  } catch {
    return []
  }
}

export async function sipFuzz(count: number): Promise<Row[]> {
  const heapFile = join(mkdtempSync(join(tmpdir(), 'opbx-fuzz-heap-')), 'heap')
  const probe = fileURLToPath(new URL('../lib/heap_probe.ts', import.meta.url))
  const edge = await startEdgeProcess({
    NODE_OPTIONS: `--expose-gc --import ${probe}`,
    HEAP_PROBE_FILE: heapFile,
  })
  const heapBefore = await heapAfterGcMb(edge.pid, heapFile)
  const seed = Math.floor(Math.random() * 2 ** 31)
  try {
    /*
     * Two bursts of half the count, one transaction lifetime apart. A burst's transactions
     * (and nonces) live ~32 s (Timer H/J, RFC 3261), so the peak is set by how many arrive
     * within that window; what "bounded" must show is that the second half leaves the edge
     * no bigger than the first did, and that the heap returns to where it started.
     */
    const halves = [Math.ceil(count / 2), Math.floor(count / 2)]
    const reports: FuzzReport[] = []
    const settled: number[] = []
    const heaps: (number | null)[] = []
    for (const [index, half] of halves.entries()) {
      const report = await fuzz(edge, {
        count: half,
        seed: seed + index,
        probeEvery: 5000,
        onProgress: (sent) => {
          if (sent % 20_000 === 0) console.log(`SIP fuzz burst ${index + 1}: ${sent}/${half}`)
        },
      })
      reports.push(report)
      if (!report.alive) break
      await sleep(40_000)
      settled.push(rssMb(edge.pid))
      heaps.push(await heapAfterGcMb(edge.pid, heapFile))
    }
    const alive = reports.every((r) => r.alive) && reports.length === halves.length
    const sum = (pick: (r: (typeof reports)[number]) => number) =>
      reports.reduce((total, r) => total + pick(r), 0)
    const replies: Record<string, number> = {}
    for (const r of reports)
      for (const [klass, n] of Object.entries(r.replies)) replies[klass] = (replies[klass] ?? 0) + n
    const baseline = reports[0].rssBaselineMb
    const peak = Math.max(...reports.map((r) => r.rssPeakMb))
    const heapAfter = heaps.at(-1) ?? null
    // What the edge still holds once every transaction has timed out: a leak shows here.
    const retained = heapBefore !== null && heapAfter !== null ? heapAfter - heapBefore : null
    const grewWithCount = settled.length === 2 ? settled[1] - settled[0] : null
    const unhandled = /uncaught|unhandled|FATAL|"level":60/i.test(edge.output())
    return [
      {
        suite: `SIP mutation fuzz, ${count} messages (UDP + TCP) in two bursts, seed ${seed}`,
        criterion:
          'no crash; OPTIONS answered throughout and after; RSS growth ≤ 150 MB and ≤ 10 % more after the second burst than after the first; JS heap after a full GC, once transactions have expired, within 10 MB of the start',
        figures:
          `${sum((r) => r.sent.udp)} UDP + ${sum((r) => r.sent.tcp)} TCP in ${reports.map((r) => r.seconds).join(' + ')} s, replies ${JSON.stringify(replies)}, ` +
          `${sum((r) => r.probes - r.failedProbes)}/${sum((r) => r.probes)} probes answered; RSS ${baseline} → peak ${peak} MB, ` +
          `${settled.join(' → ')} MB 40 s after each burst; heap after GC ${heapBefore} → ${heaps.join(' → ')} MB` +
          (unhandled ? ', UNHANDLED ERROR IN OUTPUT' : ''),
        pass:
          alive &&
          reports.every((r) => r.failedProbes === 0 && r.finalOptionsUdp && r.finalOptionsTcp) &&
          peak - baseline <= 150 &&
          grewWithCount !== null &&
          grewWithCount <= settled[0] * 0.1 &&
          retained !== null &&
          retained <= 10 &&
          !unhandled,
      },
    ]
  } finally {
    await edge.stop()
  }
}

export const suite: Suite = {
  name: 'fuzz',
  order: 40,
  describe: 'SIP mutation fuzz of ≥ 100k messages against an edge process (R3)',
  run: (ctx) => sipFuzz(ctx.number('fuzz-count', 100_000, 100_000)),
}
