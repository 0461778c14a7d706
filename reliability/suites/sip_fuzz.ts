/** R3 long run: the CI fuzzer (voip-edge/tests/reliability) with ≥ 100k messages. */
import { fuzz } from '../../voip-edge/tests/reliability/support/sip_fuzzer.ts'
import { startEdgeProcess } from '../../voip-edge/tests/reliability/support/edge_process.ts'
import { rssMb } from '../../voip-edge/tests/reliability/support/sip_fuzzer.ts'
import { sleep } from '../lib/processes.ts'
import type { Row } from '../lib/report.ts'
import type { Suite } from '../lib/suite.ts'

export async function sipFuzz(count: number): Promise<Row[]> {
  const edge = await startEdgeProcess()
  const seed = Math.floor(Math.random() * 2 ** 31)
  try {
    const report = await fuzz(edge, {
      count,
      seed,
      probeEvery: 5000,
      onProgress: (sent) => {
        if (sent % 20_000 === 0) console.log(`SIP fuzz: ${sent}/${count}`)
      },
    })
    // Transactions and nonces live ~32 s (Timer H/J, RFC 3261): after that, RSS should fall.
    await sleep(40_000)
    const settledMb = report.alive ? rssMb(edge.pid) : 0
    const unhandled = /uncaught|unhandled|FATAL|"level":60/i.test(edge.output())
    const growth = report.rssPeakMb - report.rssBaselineMb
    return [
      {
        suite: `SIP mutation fuzz, ${count} messages (UDP + TCP), seed ${seed}`,
        criterion: 'no crash; OPTIONS answered throughout and after; RSS growth ≤ 150 MB',
        figures:
          `${report.sent.udp} UDP + ${report.sent.tcp} TCP in ${report.seconds} s, replies ${JSON.stringify(report.replies)}, ` +
          `${report.probes - report.failedProbes}/${report.probes} probes answered, RSS ${report.rssBaselineMb} → peak ` +
          `${report.rssPeakMb} → ${report.rssFinalMb} MB, ${settledMb} MB 40 s later${unhandled ? ', UNHANDLED ERROR IN OUTPUT' : ''}`,
        pass:
          report.alive &&
          report.failedProbes === 0 &&
          report.finalOptionsUdp &&
          report.finalOptionsTcp &&
          growth <= 150 &&
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
