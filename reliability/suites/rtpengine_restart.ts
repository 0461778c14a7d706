/**
 * R17: rtpengine is SIGKILLed under call load and restarted on the same ng port, empty.
 *
 * An edge process (demo tenants, direct router) anchors sipp calls 1001 → 1002 in a
 * dedicated rtpengine: each call sends RTP (sipp's 7 s pcap, echoed by the callee) and lasts
 * 30 s unless the edge hangs it up. Measured from the edge's own records (CDRs with their
 * hangup cause, the signed /v1/status call list, /metrics) and from both sipp ends:
 * - how fast the outage is noticed and a new INVITE is refused (480 + Retry-After);
 * - the time from rtpengine being back to the first new call answered (≤ 5 s);
 * - the calls up at the kill: each BYE'd by the edge, none still up on the edge or at the
 *   callee once the reconciliation bound has passed (zombies = 0);
 * - the edge's call list against rtpengine's session list after recovery and at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdgeProcess } from '../../voip-edge/tests/reliability/support/edge_process.ts'
import {
  freeUdpPort,
  startRtpengine,
  stopProcess,
  track,
  type RtpengineProcess,
} from '../../voip-edge/tests/support/processes.ts'
import { SCENARIOS } from '../../voip-edge/tests/support/sipp.ts'
import { TestUac } from '../../voip-edge/tests/support/test_uac.ts'
import { options as optionsRequest, udpExchange } from '../../voip-edge/tests/support/raw_sip.ts'
import { RtpEngine } from '../../voip-edge/src/media/rtpengine.ts'
import { signedHeaders } from '../../voip-edge/src/events/signer.ts'
import { freePort, sleep } from '../lib/processes.ts'
import type { Row } from '../lib/report.ts'
import type { Suite } from '../lib/suite.ts'
import { echoingCalleeArgs } from '../lib/sipp_callee.ts'
import { callerArgs } from '../../voip-edge/bench/sipp_results.ts'

const SECRET = 'rtpengine-restart-secret-0123456789abcdef'
const CALL_SECONDS = 30
/** Probe interval + reconciliation + BYE round trips, with room for a loaded 2-core box. */
const RECONCILE_BOUND_MS = 10_000

type Cdr = {
  call_id: string
  disposition: string
  hangup_cause?: string
  session: { callStartTime: number; callAnswerTime: number | null; callEndTime: number }
}

type Sipp = {
  child: ChildProcess
  dir: string
  exited: Promise<number | null>
  output(): string
  /** Last row of sipp's -trace_stat CSV as column → value. */
  stats(): Record<string, string>
  /** Calls sipp aborted on an unexpected response (-trace_err), with what it expected. */
  aborts(): Array<{ callId: string; expecting: string; status: string }>
}

function sipp(name: string, args: string[], users: string[] | null): Sipp {
  const dir = mkdtempSync(join(tmpdir(), `r17-sipp-${name}-`))
  // Stock sipp pcap paths are relative: pcap/<file> from Debian's sip-tester package.
  symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
  if (users) {
    writeFileSync(join(dir, 'users.csv'), ['SEQUENTIAL', ...users, ''].join('\n'))
    args.push('-inf', join(dir, 'users.csv'))
  }
  const child = track(
    spawn(
      '/usr/bin/sipp',
      [
        ...args,
        '-nostdin',
        '-trace_stat',
        '-stf',
        join(dir, 'stat.csv'),
        '-fd',
        '1',
        '-trace_err',
        '-error_file',
        join(dir, 'errors.log'),
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)))
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  return {
    child,
    dir,
    exited,
    output: () => output,
    stats() {
      const file = join(dir, 'stat.csv')
      if (!existsSync(file)) return {}
      const lines = readFileSync(file, 'utf8').trim().split('\n')
      if (lines.length < 2) return {}
      const header = lines[0].split(';')
      const last = lines.at(-1)!.split(';')
      return Object.fromEntries(header.map((column, index) => [column, last[index]]))
    },
    aborts() {
      const file = join(dir, 'errors.log')
      if (!existsSync(file)) return []
      // Only live calls sipp gave up on; "Dead call" lines are retransmissions after the end.
      const pattern =
        /Aborting call on unexpected message for Call-Id '([^']+)': while expecting '([^']+)' \(index \d+\), received 'SIP\/2\.0 (\d{3})/g
      return [...readFileSync(file, 'latin1').matchAll(pattern)].map((match) => ({
        callId: match[1],
        expecting: match[2],
        status: match[3],
      }))
    },
  }
}

const num = (value: string | undefined) => Number(value ?? Number.NaN)

async function rtpengineRestart(options: {
  cps: number
  preKillSeconds: number
  downSeconds: number
  afterSeconds: number
}): Promise<Row[]> {
  const cleanups: Array<() => Promise<unknown> | unknown> = []
  try {
    // The app stand-in: CDRs are all the edge sends it (demo tenants, direct router).
    const cdrs: Cdr[] = []
    const collector = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        if (request.url?.endsWith('/cdr')) cdrs.push(JSON.parse(body) as Cdr)
        response.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', () => resolve()))
    cleanups.push(() => new Promise((resolve) => collector.close(resolve)))
    const appUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}`

    // 4 ports per call; up to cps × 30 s calls at once, plus the ones being set up.
    const ports = Math.min(8000, Math.ceil(options.cps * (CALL_SECONDS + 10) * 4 * 1.5))
    let daemon: RtpengineProcess = await startRtpengine({ ports })
    cleanups.push(() => daemon.stop())
    const ngPort = daemon.ngPort
    const rtp = new RtpEngine({ host: '127.0.0.1', port: ngPort, timeoutMs: 1000 })
    cleanups.push(() => rtp.close())

    const spool = mkdtempSync(join(tmpdir(), 'r17-cdr-'))
    cleanups.push(() => rmSync(spool, { recursive: true, force: true }))
    const controlPort = await freePort()
    const edge = await startEdgeProcess({
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${ngPort}`,
      VOIP_EDGE_CONTROL_PORT: String(controlPort),
      VOIP_EDGE_APP_BASE_URL: appUrl,
      VOIP_EDGE_CDR_SPOOL_DIR: spool,
    })
    cleanups.push(() => edge.stop())
    const control = `http://127.0.0.1:${controlPort}`
    const metric = async (name: string, labels = '') => {
      const response = await fetch(`${control}/metrics`)
      const text = await response.text()
      const line = text
        .split('\n')
        .find((row) => row.startsWith(`${name}{`) && row.includes(labels))
      return line ? Number(line.split(' ').at(-1)) : 0
    }
    const activeCalls = async (): Promise<string[]> => {
      const url = new URL('/v1/status', control)
      const response = await fetch(url, {
        headers: signedHeaders(SECRET, randomUUID(), 'GET', url, ''),
      })
      return ((await response.json()) as { activeCalls: string[] }).activeCalls
    }

    // The callee: 1002 registered at a sipp UAS that echoes RTP.
    const calleePort = await freeUdpPort()
    const uac = await TestUac.open(edge.udpPort)
    const registered = await uac.register({
      user: '1002',
      realm: 'acme.pbx.localhost',
      password: 'demo-1002-change-me',
      contactPort: calleePort,
      expires: 3600,
    })
    uac.close()
    if (registered.final.status !== 200)
      throw new Error(`REGISTER 1002: ${registered.final.status}`)
    const totalSeconds = options.preKillSeconds + options.downSeconds + options.afterSeconds
    const timeoutS = totalSeconds + CALL_SECONDS + 60
    const callee = sipp(
      'uas',
      [...(await echoingCalleeArgs(calleePort)), '-t', 'u1', '-timeout', `${timeoutS}s`],
      null,
    )
    cleanups.push(() => stopProcess(callee.child))
    // R17_KEEP=1 leaves sipp's error logs and stat files in /tmp for a look after a failure.
    if (!process.env.R17_KEEP)
      cleanups.push(() => rmSync(callee.dir, { recursive: true, force: true }))
    await sleep(500)

    const total = Math.round(options.cps * totalSeconds)
    const callerRtp = await freeUdpPort()
    const loadStarted = Date.now()
    const callers = sipp(
      'uac',
      [
        ...(await callerArgs({
          scenario: join(SCENARIOS, 'uac_call_30s_or_edge_bye_expect_200.xml'),
          target: `127.0.0.1:${edge.udpPort}`,
          cps: options.cps,
          calls: total,
          limit: 5000,
          mediaPort: callerRtp,
        })),
        '-t',
        'u1',
        '-timeout',
        `${timeoutS}s`,
      ],
      [
        `1001;[authentication username=1001 password=demo-1001-change-me];acme.pbx.localhost;1002;${callerRtp}`,
      ],
    )
    cleanups.push(() => stopProcess(callers.child))
    if (!process.env.R17_KEEP)
      cleanups.push(() => rmSync(callers.dir, { recursive: true, force: true }))

    await sleep(options.preKillSeconds * 1000)
    const upAtKill = await activeCalls()
    const listedAtKill = await rtp.list(100_000)
    const sessionsAtKill = listedAtKill.length
    const noMediaBefore = await metric('voip_edge_call_setups_total', 'outcome="no_media"')
    const killedAt = Date.now()
    daemon.child.kill('SIGKILL')
    await new Promise((resolve) => daemon.child.once('exit', resolve))

    // Outage: when /health turns, and how a new INVITE is answered then.
    let noticedMs: number | null = null
    while (Date.now() - killedAt < options.downSeconds * 1000) {
      const health = await fetch(`${control}/health`).catch(() => null)
      if (health?.status === 503) {
        noticedMs = Date.now() - killedAt
        break
      }
      await sleep(100)
    }
    let refusal = 'no INVITE probe (outage not noticed)'
    let refusedOk = false
    if (noticedMs !== null) {
      const sent = Date.now()
      const reply =
        (await udpExchange(
          optionsRequest('r17-outage').replace(/OPTIONS/g, 'INVITE'),
          edge.udpPort,
          {
            timeoutMs: 2000,
          },
        )) ?? ''
      const status = /^SIP\/2\.0 (\d{3})/.exec(reply)?.[1] ?? 'none'
      const retryAfter = /\r\nRetry-After:\s*(\d+)/i.exec(reply)?.[1]
      refusedOk = status === '480' && retryAfter !== undefined
      refusal = `INVITE → ${status}${retryAfter ? ` + Retry-After ${retryAfter}` : ''} in ${Date.now() - sent} ms`
    }
    const downLeft = options.downSeconds * 1000 - (Date.now() - killedAt)
    if (downLeft > 0) await sleep(downLeft)

    daemon = await startRtpengine({ ports, ngPort })
    const backAt = Date.now()

    // After the reconciliation bound: what is left of the calls that were up at the kill.
    await sleep(RECONCILE_BOUND_MS)
    const activeAfter = new Set(await activeCalls())
    const edgeZombies = upAtKill.filter((callId) => activeAfter.has(callId)).length
    // The edge's calls against rtpengine's sessions, twice, 1.5 s apart: a call only in the
    // middle of its setup shows up once; a mismatch seen in both is real.
    const compare = async () => {
      const active = new Set(await activeCalls())
      const held = new Set(await rtp.list(100_000))
      return {
        active,
        held,
        edgeOnly: [...active].filter((id) => !held.has(id)),
        rtpOnly: [...held].filter((id) => !active.has(id)),
      }
    }
    const first = await compare()
    await sleep(1500)
    const second = await compare()
    const edgeOnly = first.edgeOnly.filter((id) => second.edgeOnly.includes(id)).length
    const rtpOnly = first.rtpOnly.filter((id) => second.rtpOnly.includes(id)).length
    const steadyAt = Date.now()
    const noMediaSteady = await metric('voip_edge_call_setups_total', 'outcome="no_media"')

    const callersCode = await callers.exited
    const loadSeconds = Math.round((Date.now() - loadStarted) / 1000)
    // The last BYEs and CDR posts of the load, then the end state.
    await sleep(3000)
    const calleeStats = callee.stats()
    const callerStats = callers.stats()
    const activeAtEnd = await activeCalls()
    const endActive = activeAtEnd.length
    const endDialogs = await metric('voip_edge_sip_dialogs')
    const listedAtEnd = await rtp.list(100_000)
    const endSessions = listedAtEnd.length
    const noMediaEnd = await metric('voip_edge_call_setups_total', 'outcome="no_media"')
    const mediaLost = await metric('voip_edge_media_lost_calls_total')
    const rtpengineUp = await metric('voip_edge_rtpengine_up')

    const byCall = new Map(cdrs.map((cdr) => [cdr.call_id, cdr]))
    const killed = upAtKill.map((id) => byCall.get(id))
    const byeByEdge = killed.filter((cdr) => cdr?.hangup_cause === 'media_lost')
    const teardownAfterBackMs = Math.max(
      0,
      ...byeByEdge.map((cdr) => cdr!.session.callEndTime - backAt),
    )
    const answeredAfter = cdrs
      .filter((cdr) => (cdr.session.callAnswerTime ?? 0) >= backAt)
      .sort((a, b) => a.session.callAnswerTime! - b.session.callAnswerTime!)
    const firstAnswer = answeredAfter[0]
    const recoveryMs = firstAnswer ? firstAnswer.session.callAnswerTime! - backAt : null
    // Calls offered to the edge ≥ 5 s after rtpengine is back must all work.
    const late = cdrs.filter((cdr) => cdr.session.callStartTime >= backAt + 5000)
    const lateBad = late.filter(
      (cdr) => cdr.session.callAnswerTime === null || cdr.hangup_cause !== 'completed',
    ).length
    const lateRefused = noMediaEnd - noMediaSteady
    const aborts = callers.aborts()
    const byStatus = new Map<string, number>()
    for (const abort of aborts) byStatus.set(abort.status, (byStatus.get(abort.status) ?? 0) + 1)
    const errors = [...byStatus].map(([status, n]) => `${n}×${status}`).join(', ')
    // A caller whose own BYE (at 30 s) gets 481: the edge had dropped its leg without a BYE.
    const callerZombies = aborts.filter(
      (abort) => abort.status === '481' && abort.expecting === '200',
    ).length

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    const calleeUp = num(calleeStats.CurrentCall)
    const row = (suite: string, criterion: string, figures: string, pass: boolean): Row => ({
      suite: `rtpengine kill -9 + restart at ${options.cps} cps, ${CALL_SECONDS} s calls: ${suite}`,
      criterion,
      figures,
      pass,
    })
    const loadFigures =
      `sipp callers: ${callerStats.TotalCallCreated} calls, ${callerStats['SuccessfulCall(C)']} ok, ` +
      `${callerStats['FailedCall(C)']} failed${errors ? ` (${errors})` : ''}, exit ${callersCode}, ${loadSeconds} s`
    return [
      row(
        'recovery',
        'new calls succeed ≤ 5 s after rtpengine is back; refused fast (480/503 + Retry-After) while it is down',
        `outage noticed after ${noticedMs === null ? 'never' : s(noticedMs)}; ${refusal}; ` +
          `${options.downSeconds} s down, ${noMediaSteady - noMediaBefore} load INVITEs refused 480; ` +
          `first call answered ${recoveryMs === null ? 'never' : s(recoveryMs)} after restart; ` +
          `calls started ≥ 5 s after restart: ${late.length - lateBad}/${late.length} answered and completed, ` +
          `${lateRefused} refused; ${loadFigures}`,
        refusedOk &&
          recoveryMs !== null &&
          recoveryMs <= 5000 &&
          late.length > 0 &&
          lateBad === 0 &&
          lateRefused === 0,
      ),
      row(
        'no zombie dialogs',
        `calls up at the kill are BYE'd by the edge; none left on the edge or at the callee ${s(RECONCILE_BOUND_MS)} after restart`,
        `${upAtKill.length} calls up at the kill (rtpengine had ${sessionsAtKill} sessions); ` +
          `${byeByEdge.length} BYE'd by the edge (CDR hangup_cause media_lost), ` +
          `${killed.filter((cdr) => cdr && cdr.hangup_cause !== 'media_lost').length} ended otherwise, ` +
          `${killed.filter((cdr) => !cdr).length} without CDR; last teardown ${s(teardownAfterBackMs)} after restart; ` +
          `${edgeZombies} still on the edge after ${s(RECONCILE_BOUND_MS)}; media_lost counter ${mediaLost}; ` +
          `callee legs still up at the end ${calleeUp}, callers whose BYE got 481 ${callerZombies}`,
        upAtKill.length > 0 &&
          byeByEdge.length === upAtKill.length &&
          edgeZombies === 0 &&
          teardownAfterBackMs <= RECONCILE_BOUND_MS &&
          calleeUp === 0 &&
          callerZombies === 0,
      ),
      row(
        'session count reconciles',
        'edge calls = rtpengine sessions after recovery and at the end (0 = 0, no dialog left)',
        `${s(RECONCILE_BOUND_MS)} after restart: edge ${first.active.size} calls / rtpengine ${first.held.size} sessions, ` +
          `then ${second.active.size} / ${second.held.size} (${edgeOnly} edge-only, ${rtpOnly} rtpengine-only in both looks); ` +
          `end: ${endActive} calls, ${endDialogs} dialogs, ${endSessions} sessions, rtpengine_up ${rtpengineUp}; ` +
          `checked ${s(steadyAt - backAt)} after restart`,
        edgeOnly === 0 &&
          rtpOnly === 0 &&
          endActive === 0 &&
          endDialogs === 0 &&
          endSessions === 0 &&
          rtpengineUp === 1,
      ),
    ]
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {})
  }
}

export const suite: Suite = {
  name: 'rtpengine',
  order: 70,
  describe: 'kill -9 rtpengine under sipp call load, restart it on the same ng port (R17)',
  run: (ctx) =>
    rtpengineRestart({
      cps: ctx.number('rtpengine-cps', 10, 5),
      preKillSeconds: ctx.number('rtpengine-before', 20, 10),
      downSeconds: ctx.number('rtpengine-down', 5, 3),
      afterSeconds: ctx.number('rtpengine-after', 15, 10),
    }),
}
