/**
 * R20 network impairment: calls through a bad network (10 % loss, 50 ms ± 20 ms delay, each
 * direction) at 20 calls/s. Caller and callee are sipp inside a network namespace; the edge
 * (HTTP router), rtpengine and the routing server are on the host, so only the SIP/RTP
 * path crosses the impaired link (reliability/lib/netem_link.ts). Every caller is its own
 * extension, so the From of each B-leg INVITE names the call it belongs to.
 *
 * Measured: session establishment ratio (answered / placed), routing webhooks per A-leg
 * Call-ID (the counting CXML server), B-leg dialogs (distinct Call-IDs) per call at the
 * callee, and how many packets the link actually dropped.
 *
 * NETEM_KEEP=1 keeps sipp's traces and writes the edge's SIP message log to
 * /tmp/netem-edge.log, for finding out what a failed call went through.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { CxmlServer } from '../../voip-edge/tests/support/cxml_server.ts'
import { ROOT, sleep } from '../lib/processes.ts'
import type { Row } from '../lib/report.ts'
import type { Suite } from '../lib/suite.ts'
import { impairedLink, type ImpairedLink, type LinkStats } from '../lib/netem_link.ts'
import {
  EDGE_SECRET,
  deletePrefix,
  freeUdp,
  percentile,
  runSippTo,
  spawnEdge,
  stopChild,
  track,
  type EdgeChild,
  type SippResult,
} from '../lib/storm_edge.ts'

const LOSS = 10
const DELAY_MS = 50
const JITTER_MS = 20
const REALM = 'netem.pbx.test'
const SCENARIOS = join(ROOT, 'voip-edge/scenarios')

function startRtpengine(address: string, ngPort: number, ports: number): ChildProcess {
  const base = 30_000 + Math.floor(Math.random() * 200) * 100
  return track(
    spawn(
      '/usr/bin/rtpengine',
      [
        '--config-file=none',
        '--table=-1',
        `--interface=${address}`,
        `--listen-ng=127.0.0.1:${ngPort}`,
        '--foreground',
        '--log-stderr',
        '--log-level=4',
        `--port-min=${base}`,
        `--port-max=${base + ports - 1}`,
        '--delete-delay=0',
      ],
      { stdio: 'ignore' },
    ),
  )
}

/** INVITEs the callee received, as (From user, Call-ID) pairs, from sipp's -trace_msg log. */
export function receivedInvites(log: string): { from: string; callId: string }[] {
  const invites: { from: string; callId: string }[] = []
  for (const block of log.split(/^-{10,}.*$/m)) {
    if (!/message received/.test(block)) continue
    const message = block.slice(block.indexOf(':\n') + 2).trimStart()
    if (!message.startsWith('INVITE ')) continue
    const from = /^(?:From|f)\s*:.*?sips?:([^@;>]+)@/im.exec(message)?.[1]
    const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(message)?.[1]
    if (from && callId) invites.push({ from, callId })
  }
  return invites
}

/** Sum of the Retrans column of a sipp scenario screen for lines starting with `label`. */
function retransmissions(output: string, label: string): number {
  // sipp prints its screen more than once: only the last one has the final counts.
  const screens = output.split(/Messages\s+Retrans/)
  let total = 0
  for (const line of screens[screens.length - 1].split('\n')) {
    const match = new RegExp(
      `^\\s*${label}\\s+-+>\\s+(?:[A-Z][A-Z0-9-]*\\s+)?(\\d+)\\s+(\\d+)`,
    ).exec(line)
    if (match) total += Number(match[2])
  }
  return total
}

export async function netem(
  calls: number,
  cps: number,
  redisPort: number,
  log: (message: string) => void,
): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opbx-reliability-netem-'))
  const redisUrl = `redis://127.0.0.1:${redisPort}`
  const prefix = `netem:${process.pid}:`
  const seed = Math.floor(Math.random() * 2 ** 31)
  const callers = Array.from({ length: calls }, (_, i) => ({
    extensionId: `netem-caller-${i}`,
    username: `c${i}`,
    password: `netem-c${i}-${seed}`,
  }))
  const bob = { extensionId: 'netem-bob', username: 'bob', password: `netem-bob-${seed}` }
  const credentialsFile = join(dir, 'tenants.json')
  writeFileSync(
    credentialsFile,
    JSON.stringify([{ organizationId: 'netem-org', realm: REALM, extensions: [...callers, bob] }]),
  )
  const callerCsv = join(dir, 'callers.csv')
  writeFileSync(
    callerCsv,
    [
      'SEQUENTIAL',
      ...callers.map(
        (c) =>
          `${c.username};[authentication username=${c.username} password=${c.password}];${REALM};bob`,
      ),
      '',
    ].join('\n'),
  )
  const bobCsv = join(dir, 'bob.csv')
  writeFileSync(
    bobCsv,
    `SEQUENTIAL\nbob;[authentication username=bob password=${bob.password}];${REALM}\n`,
  )
  // The stock caller without the RTP pcap: this row is about signalling, and the relay's
  // CPU is better spent on SIP.
  const callerScenario = join(dir, 'uac_call.xml')
  writeFileSync(
    callerScenario,
    readFileSync(join(SCENARIOS, 'uac_call_expect_200.xml'), 'utf8')
      .replace(/<nop>\s*<action>\s*<exec play_pcap_audio="[^"]+"\/>\s*<\/action>\s*<\/nop>/, '')
      .replace('<pause milliseconds="1500"/>', '<pause milliseconds="1000"/>'),
  )

  // The stock callee, made to behave like a phone on a lossy network: an INVITE
  // retransmitted after its 200 (the 200 or the edge's ACK was lost) gets the 200 again
  // instead of aborting the call, and a BYE may overtake a lost ACK.
  const calleeScenario = join(dir, 'uas_answer.xml')
  writeFileSync(
    calleeScenario,
    robustCallee(readFileSync(join(SCENARIOS, 'uas_answer_expect_200.xml'), 'utf8')),
  )

  const cxml = new CxmlServer(EDGE_SECRET)
  cxml.document = '<Response><Dial timeout="20"><Number>bob</Number></Dial></Response>'
  let link: ImpairedLink | null = null
  let linkStats: LinkStats | null = null
  let rtpengine: ChildProcess | null = null
  let edge: EdgeChild | null = null
  let callee: ChildProcess | null = null
  const results: SippResult[] = []
  try {
    const appUrl = await cxml.start()
    link = await impairedLink({ lossPercent: LOSS, delayMs: DELAY_MS, jitterMs: JITTER_MS, seed })
    const ngPort = await freeUdp()
    rtpengine = startRtpengine(link.hostAddress, ngPort, Math.max(400, cps * 40))
    const port = await freeUdp(link.hostAddress)
    edge = spawnEdge({
      host: link.hostAddress,
      port,
      redisUrl,
      prefix,
      credentialsFile,
      env: {
        VOIP_EDGE_ROUTER: 'http',
        VOIP_EDGE_APP_BASE_URL: appUrl,
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${ngPort}`,
        ...(process.env.NETEM_KEEP
          ? { VOIP_EDGE_LOG_LEVEL: 'debug', VOIP_EDGE_SIP_MESSAGE_LOG: 'true' }
          : {}),
      },
      logFile: process.env.NETEM_KEEP ? '/tmp/netem-edge.log' : undefined,
    })
    await edge.ready()
    const target = `${link.hostAddress}:${port}`
    const calleePort = 5070

    // bob registers from inside the namespace, through the bad link (retried: it is lossy).
    let registered = false
    for (let attempt = 0; attempt < 3 && !registered; attempt++) {
      const run = await runSippTo(
        [
          '-sf',
          join(SCENARIOS, 'uac_register_digest_expect_200.xml'),
          target,
          '-i',
          link.nsAddress,
          '-p',
          String(calleePort),
          '-inf',
          bobCsv,
          '-m',
          '1',
          '-timeout',
          '30s',
          '-timeout_error',
        ],
        { killAfterMs: 40_000, wrap: link.exec },
      )
      run.cleanup()
      registered = run.successful === 1
    }
    if (!registered) throw new Error('bob could not register through the impaired link')

    const calleeRun = runSippTo(
      [
        '-sf',
        calleeScenario,
        '-i',
        link.nsAddress,
        '-p',
        String(calleePort),
        '-mi',
        link.nsAddress,
        '-mp',
        '6000',
        '-trace_msg',
        '-trace_err',
      ],
      {
        killAfterMs: (calls / cps + 600) * 1000,
        wrap: link.exec,
        onSpawn: (child) => (callee = child),
      },
    )
    await sleep(1000)
    log(`netem: ${calls} calls at ${cps}/s through ${LOSS} % loss, ${DELAY_MS} ± ${JITTER_MS} ms`)
    const caller = await runSippTo(
      [
        '-sf',
        callerScenario,
        target,
        '-i',
        link.nsAddress,
        '-p',
        '5060',
        '-mi',
        link.nsAddress,
        '-mp',
        '7000',
        '-inf',
        callerCsv,
        '-r',
        String(cps),
        '-m',
        String(calls),
        '-l',
        String(cps * 30),
        '-trace_err',
        ...(process.env.NETEM_KEEP ? ['-trace_msg'] : []),
        '-trace_rtt',
        '-rtt_freq',
        '1',
        '-timeout',
        `${Math.ceil(calls / cps) + 120}s`,
        '-timeout_error',
      ],
      { killAfterMs: (calls / cps + 140) * 1000, wrap: link.exec },
    )
    results.push(caller)
    if (process.env.NETEM_KEEP) writeFileSync(join(caller.dir, 'stdout.txt'), caller.output)
    // Let the last BYEs and their retransmissions reach the callee, then stop it softly
    // (SIGUSR1: sipp finishes and writes its logs).
    await sleep(8000)
    ;(callee as ChildProcess | null)?.kill('SIGUSR1')
    const killer = setTimeout(() => (callee as ChildProcess | null)?.kill('SIGKILL'), 15_000)
    const calleeResult = await calleeRun
    clearTimeout(killer)
    results.push(calleeResult)

    const webhooks = new Map<string, number>()
    for (const call of cxml.calls)
      if (call.path.startsWith('/api/voice/route')) {
        const sid = String(call.body.CallSid)
        webhooks.set(sid, (webhooks.get(sid) ?? 0) + 1)
      }
    const repeatedWebhooks = [...webhooks.values()].filter((n) => n > 1).length
    const invites = receivedInvites(calleeResult.messages)
    const legs = new Map<string, Set<string>>()
    for (const invite of invites) {
      const set = legs.get(invite.from) ?? new Set<string>()
      set.add(invite.callId)
      legs.set(invite.from, set)
    }
    const doubleLegs = [...legs.values()].filter((set) => set.size > 1).length
    const bLegs = [...legs.values()].reduce((sum, set) => sum + set.size, 0)
    const ser = caller.successful / calls
    const setup = (p: number) => percentile(caller.rtts, p)
    linkStats = await link.close()
    link = null
    const lossOf = (d: 'down' | 'up') =>
      linkStats
        ? `${((linkStats[d].dropped / Math.max(1, linkStats[d].packets)) * 100).toFixed(1)} %`
        : '?'
    // The row only counts if the link really lost about LOSS % each way.
    const observed = (d: 'down' | 'up') =>
      linkStats ? linkStats[d].dropped / Math.max(1, linkStats[d].packets) : 0
    const impaired = (['down', 'up'] as const).every(
      (d) => Math.abs(observed(d) * 100 - LOSS) <= LOSS * 0.3,
    )
    const edgeAlive = edge.child.exitCode === null && edge.child.signalCode === null
    return [
      {
        suite: `Network impairment (${LOSS} % loss, ${DELAY_MS} ms ± ${JITTER_MS} ms each way), ${calls} calls at ${cps} calls/s through the HTTP router`,
        criterion: 'SER ≥ 99 %; 0 calls with a second routing webhook; 0 calls with a second B-leg',
        figures:
          `SER ${(ser * 100).toFixed(1)} % (${caller.successful}/${calls} answered, ${caller.failed} failed` +
          `${caller.failed > 0 ? `: ${summarize(caller)}` : ''}); ` +
          `${webhooks.size} calls routed, ${repeatedWebhooks} with > 1 webhook (${cxml.calls.length} webhooks in all); ` +
          `${bLegs} B-legs for ${legs.size} calls at the callee, ${doubleLegs} calls with > 1 B-leg, ` +
          `${invites.length - bLegs} B-leg INVITE retransmissions; callers retransmitted ` +
          `${retransmissions(caller.output, 'INVITE')} INVITEs and ${retransmissions(caller.output, 'BYE')} BYEs; ` +
          `link dropped ${lossOf('up')} up, ${lossOf('down')} down ` +
          `(${linkStats ? linkStats.up.packets + linkStats.down.packets : '?'} packets); ` +
          `INVITE→200 p50 ${setup(50)} ms, p99 ${setup(99)} ms` +
          (edgeAlive ? '' : '; EDGE DIED'),
        pass:
          impaired &&
          ser >= 0.99 &&
          repeatedWebhooks === 0 &&
          doubleLegs === 0 &&
          webhooks.size >= caller.successful &&
          edgeAlive,
      },
    ]
  } finally {
    if (callee) await stopChild(callee, 'SIGKILL')
    await edge?.stop('SIGKILL')
    if (rtpengine) await stopChild(rtpengine)
    if (link) await link.close()
    await cxml.stop()
    // NETEM_KEEP=1 keeps sipp's traces for a look at what failed.
    if (process.env.NETEM_KEEP) console.log(`kept: ${results.map((r) => r.dir).join(' ')}`)
    else for (const result of results) result.cleanup()
    await deletePrefix(redisUrl, prefix)
    rmSync(dir, { recursive: true, force: true })
  }
}

export function robustCallee(stock: string): string {
  const answer = '<send retrans="500">'
  const waits = '<recv request="ACK"/>\n  <recv request="BYE"/>'
  if (!stock.includes(answer) || !stock.includes(waits))
    throw new Error('uas_answer_expect_200.xml changed: update robustCallee()')
  return stock
    .replace(answer, `<label id="answer"/>\n  ${answer}`)
    .replace(
      waits,
      [
        '<recv request="INVITE" optional="true" next="answer"/>',
        '  <recv request="BYE" optional="true" next="bye"/>',
        '  <recv request="ACK"/>',
        '  <recv request="BYE"/>',
        '  <label id="bye"/>',
      ].join('\n'),
    )
}

function summarize(result: SippResult): string {
  const parts = Object.entries(result.unexpected).map(([status, n]) => `${n}× ${status}`)
  if (result.retransTimeouts) parts.push(`${result.retransTimeouts} unanswered`)
  return parts.join(', ') || `${result.errors.length} error lines`
}

export const suite: Suite = {
  name: 'netem',
  order: 100,
  describe:
    'Calls at 20 cps through 10 % loss and 50 ± 20 ms delay: SER, webhooks and B-legs per call (R20)',
  run: async (ctx) => {
    const redis = await ctx.redis()
    return netem(
      ctx.number('netem-calls', 600, 200),
      ctx.number('netem-cps', 20, 20),
      redis.port,
      (message) => ctx.log(message),
    )
  },
}
