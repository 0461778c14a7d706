/**
 * R14: `kill -9` the web process under call load. Real pieces only: the app (bin/server.ts)
 * on the run's database, a dedicated rtpengine, voip-edge as its own process routing every
 * call through the app (signed /api/voice/route, credentials from /api/edge, session updates
 * and the CDR spool on, as `npm start` wires it), a sipp callee registered as an extension
 * of a seeded tenant and a sipp caller placing calls between two of its extensions at a
 * steady rate. While the calls flow the app is killed with SIGKILL, left dead for a while,
 * then started again on the same port. Every call's final answer and its timing come from
 * the caller's own log (reliability/lib/webkill_sipp.ts).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, sleep } from '../lib/processes.ts'
import type { Row } from '../lib/report.ts'
import type { Suite, SuiteContext } from '../lib/suite.ts'
import { callerScenario, parseCallLog, type CallRecord } from '../lib/webkill_sipp.ts'
import {
  startRtpengine,
  freeUdpPort,
  track,
  stopProcess,
} from '../../voip-edge/tests/support/processes.ts'
import { startEdgeProcess } from '../../voip-edge/tests/reliability/support/edge_process.ts'
import { TestUac } from '../../voip-edge/tests/support/test_uac.ts'
import { udpBound } from '../../voip-edge/tests/support/udp_ready.ts'
import { RtpEngine } from '../../voip-edge/src/media/rtpengine.ts'
import { echoingCalleeArgs } from '../lib/sipp_callee.ts'
import { callerArgs } from '../../voip-edge/bench/sipp_results.ts'

const CALLERS = ['100', '101', '102', '103', '104']
const CALLEE = '110'
/** RFC 3261 Timer B/F with T1 = 500 ms: no transaction may outlive it. */
const TIMER_B_MS = 32_000
/**
 * On top of the webhook budget before the caller hears the fallback begin: the apology's
 * rtpengine offer/answer and the 183, on 2 cores shared with the app, PostgreSQL, sipp and
 * rtpengine (up to ~0.6 s measured at a load average of 8).
 */
const MARGIN_MS = 1000
const RECOVERY_MS = 10_000
/** A CDR refused while a killed process's idempotency claim lives (60 s) backs off past it. */
const SPOOL_WAIT_MS = 150_000

const CRITERION_FALLBACK =
  '`kill -9` the API under call load: voip-edge gets a timeout or error within its configured webhook timeout (≤ 2 s) and applies the documented fallback (announcement/503 + Retry-After)'
const CRITERION_STUCK = 'No dialog stays stuck beyond Timer B/C'
const CRITERION_RECOVERY = 'New calls succeed ≤ 10 s after the API restarts'

async function rotatePassword(url: string, token: string, extensionId: number): Promise<string> {
  // A freshly started process may shed its first requests (503 + Retry-After) while it warms up.
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${url}/api/v1/extensions/${extensionId}/sip-password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    })
    if (response.status === 200)
      return ((await response.json()) as { data: { sipPassword: string } }).data.sipPassword
    const body = await response.text()
    if (response.status !== 503 || attempt >= 10)
      throw new Error(
        `sip-password for ${extensionId}: HTTP ${response.status} ${body.slice(0, 300)}`,
      )
    await sleep(1000)
  }
}

/** The edge's own gauges, as a Prometheus scraper reads them. */
async function edgeGauges(controlPort: number) {
  const text = await fetch(`http://127.0.0.1:${controlPort}/metrics`).then((r) => r.text())
  const gauge = (name: string) => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)
    return match ? Number(match[1]) : Number.NaN
  }
  return {
    activeCalls: gauge('voip_edge_active_calls'),
    dialogs: gauge('voip_edge_sip_dialogs'),
    spool: gauge('voip_edge_cdr_spool_depth'),
  }
}

/** Nearest-rank percentile in whole ms; p = 100 is the maximum. */
function ms(values: number[], p: number): string {
  if (values.length === 0) return 'n/a'
  const sorted = [...values].sort((a, b) => a - b)
  return String(
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]),
  )
}

export async function webKill(ctx: SuiteContext): Promise<Row[]> {
  const cps = ctx.number('webkill-cps', 10, 5)
  const beforeS = ctx.number('webkill-before-s', 15, 8)
  const outageS = ctx.number('webkill-outage-s', 10, 5)
  // Past the 10 s of §6 after the restart: the calls of the remaining seconds are judged.
  const afterS = ctx.number('webkill-after-s', 20, 15)
  const holdMs = ctx.number('webkill-hold-ms', 2000, 2000)
  const webhookTimeoutMs = ctx.number('webkill-webhook-timeout-ms', 2000, 2000)

  const seeded = await ctx.seeded()
  const tenant = seeded.tenants[0]
  const token = tenant.tokens[0]
  const redis = await ctx.redis()
  const appPort = await freePort()
  // One edge sends every call's routing requests, 4 session updates and a CDR from one
  // address: the default budgets (100 webhooks a minute per tenant) would answer this load
  // 429 long before the kill, and this suite measures the kill, not the rate limits.
  const appEnv = {
    PORT: String(appPort),
    WEBHOOK_RATE_LIMIT: '100000',
    VOICE_RATE_LIMIT: '100000',
    WEBHOOK_IP_CEILING: '100000',
    VOICE_IP_CEILING: '100000',
  }
  let app = await ctx.startApp(appEnv)

  const passwords = new Map<string, string>()
  for (const user of [...CALLERS, CALLEE])
    passwords.set(
      user,
      await rotatePassword(app.url, token, tenant.extensionIds[Number(user) - 100]),
    )

  const dir = mkdtempSync(join(tmpdir(), 'opbx-webkill-'))
  const rtpengine = await startRtpengine({ ports: 2000 })
  const media = new RtpEngine({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 })
  const controlPort = await freePort()
  const edge = await startEdgeProcess({
    VOIP_EDGE_SIGNING_SECRET: ctx.edgeSecret,
    // No credentials file: the edge asks the app for realms and SIP passwords, as in production.
    VOIP_EDGE_CREDENTIALS_FILE: '-',
    VOIP_EDGE_ROUTER: 'http',
    VOIP_EDGE_APP_BASE_URL: app.url,
    VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:${redis.port}/1`,
    VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
    VOIP_EDGE_CXML_TIMEOUT_MS: String(webhookTimeoutMs),
    VOIP_EDGE_SESSION_UPDATES: 'true',
    VOIP_EDGE_CDR_SPOOL_DIR: join(dir, 'cdr-spool'),
    VOIP_EDGE_MEDIA_CACHE_DIR: join(dir, 'media'),
    VOIP_EDGE_CONTROL_PORT: String(controlPort),
    VOIP_EDGE_LOG_LEVEL: 'warn',
  }).catch(async (error: unknown) => {
    media.close()
    await rtpengine.stop()
    rmSync(dir, { recursive: true, force: true })
    throw error
  })
  const sipp = (args: string[]) => {
    const child = track(
      spawn('/usr/bin/sipp', [...args, '-nostdin', '-max_socket', '100'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    )
    let output = ''
    child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)))
    child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)))
    const exited = new Promise<number | null>((done) => child.once('exit', done))
    return { child, output: () => output, exited }
  }
  let callee: ReturnType<typeof sipp> | null = null
  let caller: ReturnType<typeof sipp> | null = null
  const gaugeSamples: { at: number; activeCalls: number }[] = []
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      const gauges = await edgeGauges(controlPort).catch(() => null)
      if (gauges) gaugeSamples.push({ at: Date.now(), activeCalls: gauges.activeCalls })
      await sleep(1000)
    }
  })()

  try {
    symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
    // The callee: extension 110's phone, registered through the app's credentials.
    const calleePort = await freeUdpPort()
    const uac = await TestUac.open(edge.udpPort)
    const registered = await uac.register({
      user: CALLEE,
      realm: tenant.domain,
      password: passwords.get(CALLEE)!,
      contactPort: calleePort,
      expires: 3600,
    })
    uac.close()
    if (registered.final.status !== 200)
      throw new Error(`${CALLEE} did not register: ${registered.final.status}`)
    callee = sipp([...(await echoingCalleeArgs(calleePort))])
    await udpBound(calleePort)

    writeFileSync(join(dir, 'caller.xml'), callerScenario(holdMs))
    writeFileSync(
      join(dir, 'callers.csv'),
      [
        'SEQUENTIAL',
        ...CALLERS.map(
          (user) =>
            `${user};[authentication username=${user} password=${passwords.get(user)}];${tenant.domain};${CALLEE}`,
        ),
        '',
      ].join('\n'),
    )
    const callLog = join(dir, 'calls.log')
    caller = sipp([
      ...(await callerArgs({
        scenario: join(dir, 'caller.xml'),
        target: `127.0.0.1:${edge.udpPort}`,
        cps,
        // A safety bound only: the suite ends the load itself (SIGUSR1) after the recovery.
        calls: Math.ceil(cps * (beforeS + outageS + afterS + 120)),
        limit: cps * 20,
      })),
      '-inf',
      join(dir, 'callers.csv'),
      '-trace_logs',
      '-log_file',
      callLog,
      '-recv_timeout',
      String(TIMER_B_MS + 8000),
    ])
    ctx.log(`webkill: ${cps} calls/s; killing the app in ${beforeS} s`)
    await sleep(beforeS * 1000)
    const killedAt = Date.now()
    await app.kill()
    ctx.log(`webkill: app killed (SIGKILL); restarting in ${outageS} s`)
    await sleep(outageS * 1000)
    const restartAt = Date.now()
    app = await ctx.startApp(appEnv)
    const healthAt = Date.now()
    ctx.log(
      `webkill: app answers /health again after ${((healthAt - restartAt) / 1000).toFixed(1)} s`,
    )
    await sleep(afterS * 1000)
    const loadStoppedAt = Date.now()
    // SIGUSR1: sipp places no new call and exits once the calls in progress have ended.
    caller.child.kill('SIGUSR1')
    const stopper = setTimeout(() => void stopProcess(caller!.child), holdMs + TIMER_B_MS + 20_000)
    const callerCode = await caller.exited
    clearTimeout(stopper)
    const lastCallerActivity = Date.now()

    // No stuck dialog: the edge's call gauge and rtpengine's session list must come back to
    // zero (nothing is live once sipp has exited) within Timer B of the last call.
    let drainedAfterMs: number | null = null
    let left = { activeCalls: Number.NaN, dialogs: Number.NaN, sessions: Number.NaN }
    const drainDeadline = lastCallerActivity + TIMER_B_MS
    while (Date.now() < drainDeadline + 1000) {
      const gauges = await edgeGauges(controlPort).catch(() => null)
      const list = await media.list().catch(() => null)
      const sessions = list ? list.length : Number.NaN
      left = {
        activeCalls: gauges?.activeCalls ?? Number.NaN,
        dialogs: gauges?.dialogs ?? Number.NaN,
        sessions,
      }
      if (left.activeCalls === 0 && left.dialogs === 0 && left.sessions === 0) {
        drainedAfterMs = Date.now() - lastCallerActivity
        break
      }
      await sleep(500)
    }
    // The CDRs of the outage wait in the edge's spool and are resent with backoff: not part
    // of R14's criterion, but a kill must not lose them, so the row says how long they took.
    let spoolDrainedAfterMs: number | null = null
    let spool = Number.NaN
    while (Date.now() < lastCallerActivity + SPOOL_WAIT_MS) {
      const gauges = await edgeGauges(controlPort).catch(() => null)
      spool = gauges ? gauges.spool : Number.NaN
      if (spool === 0) {
        spoolDrainedAfterMs = Date.now() - healthAt
        break
      }
      await sleep(1000)
    }

    const calls = parseCallLog(readFileSync(callLog, 'utf8'))
    const placed = calls.length
    const answered = (call: CallRecord) => call.final?.status === 200
    const beforeKill = calls.filter((call) => call.invitedAt < killedAt)
    const outage = calls.filter((call) => call.invitedAt >= killedAt && call.invitedAt < healthAt)
    const afterHealth = calls.filter((call) => call.invitedAt >= healthAt)
    const refused = calls.filter((call) => call.final && call.final.status !== 200)
    const fallback = refused.filter(
      (call) => call.final!.status === 503 && /^\d+$/.test(call.final!.retryAfter),
    )
    const otherFinals = new Map<string, number>()
    for (const call of refused.filter((c) => !fallback.includes(c))) {
      const key = `${call.final!.status}${call.final!.retryAfter ? '' : ' without Retry-After'}`
      otherFinals.set(key, (otherFinals.get(key) ?? 0) + 1)
    }
    const noFinal = calls.filter((call) => call.final === null)
    // Fallback applied = the edge's first sign of giving up: the apology's 183, or the 503.
    // From the INVITE the edge routes (the one with credentials), or the only one there was.
    const reaction = fallback.map(
      (call) => (call.earlyAt ?? call.final!.at) - (call.authenticatedAt ?? call.invitedAt),
    )
    const final503 = fallback.map((call) => call.final!.at - call.invitedAt)
    const retryAfters = [...new Set(fallback.map((call) => call.final!.retryAfter))]
    // Calls whose caller could not even be authenticated get the 503 without the apology.
    const withApology = fallback.filter((call) => call.earlyAt !== null).length
    const outageAnswered = outage.filter(answered).length

    const firstSuccess = afterHealth.filter(answered).sort((a, b) => a.final!.at - b.final!.at)[0]
    const recoveryMs = firstSuccess ? firstSuccess.final!.at - healthAt : null
    // §6: new calls succeed 10 s after the restart; the calls of the warm-up before that
    // are reported, not judged.
    const settled = afterHealth.filter((call) => call.invitedAt >= healthAt + RECOVERY_MS)
    const settledFailed = settled.filter((call) => !answered(call))
    const warmUp = firstSuccess
      ? afterHealth.filter(
          (call) =>
            call.invitedAt >= firstSuccess.invitedAt && call.invitedAt < healthAt + RECOVERY_MS,
        )
      : []
    const unhandled = /uncaught|unhandled|"level":60/i.test(edge.output())
    const peak = Math.max(0, ...gaugeSamples.map((sample) => sample.activeCalls))

    ctx.log(
      `webkill: ${placed} calls (sipp exit ${callerCode}), ${refused.length} refused, ` +
        `${noFinal.length} without final; edge ${left.activeCalls} calls, ${left.dialogs} dialogs, rtpengine ${left.sessions}`,
    )
    const others = [...otherFinals].map(([k, n]) => `${n}× ${k}`).join(', ') || 'none'
    const budget = webhookTimeoutMs + MARGIN_MS
    return [
      {
        suite: `Web process kill -9 under ${cps} calls/s: fallback (app dead ${((healthAt - killedAt) / 1000).toFixed(1)} s)`,
        criterion: `${CRITERION_FALLBACK}; pass: every call the edge could not route got 503 with Retry-After, first sign of the fallback (apology 183 or the 503) ≤ ${webhookTimeoutMs} ms + ${MARGIN_MS} ms (the apology's media setup) after the INVITE the edge routes, no other failure answer`,
        figures:
          `${placed} calls placed (${beforeKill.length} before the kill, ${beforeKill.filter(answered).length} of them answered; ` +
          `${outage.length} while the app was down or restarting, ${outageAnswered} answered); ${fallback.length} got the fallback ` +
          `(${withApology} the apology then 503, ${fallback.length - withApology} a plain 503 as credentials could not be checked; Retry-After ${retryAfters.join('/') || '–'} s): authenticated INVITE → fallback start p50 ${ms(reaction, 50)} ms, max ${ms(reaction, 100)} ms ` +
          `(webhook budget ${webhookTimeoutMs} ms); INVITE → 503 after the apology p50 ${ms(final503, 50)} ms, max ${ms(final503, 100)} ms; ` +
          `other failure answers: ${others}`,
        pass:
          outage.length > 0 &&
          fallback.length >= outage.length - outageAnswered &&
          otherFinals.size === 0 &&
          reaction.every((value) => value <= budget),
      },
      {
        suite: 'Web process kill -9: no stuck dialog',
        criterion: `${CRITERION_STUCK}; pass: every call got a final answer, and the edge's active-call and SIP-dialog gauges and rtpengine's sessions are back to 0 within Timer B (${TIMER_B_MS / 1000} s) of the last call`,
        figures:
          `${noFinal.length} of ${placed} calls without a final answer; peak ${peak} active calls on the edge; ` +
          (drainedAfterMs === null
            ? `still ${left.activeCalls} active calls, ${left.dialogs} SIP dialogs and ${left.sessions} rtpengine sessions ${TIMER_B_MS / 1000} s after the last call`
            : `0 active calls, 0 SIP dialogs and 0 rtpengine sessions ${(drainedAfterMs / 1000).toFixed(1)} s after the last call`) +
          (spoolDrainedAfterMs === null
            ? `; ${spool} CDRs still in the edge's spool ${SPOOL_WAIT_MS / 1000} s after the last call`
            : `; every CDR delivered from the edge's spool ${(spoolDrainedAfterMs / 1000).toFixed(0)} s after the restart`) +
          `${unhandled ? '; UNHANDLED ERROR IN THE EDGE OUTPUT' : ''}`,
        pass: noFinal.length === 0 && drainedAfterMs !== null && !unhandled,
      },
      {
        suite: 'Web process kill -9: recovery after restart',
        criterion: `${CRITERION_RECOVERY}; pass: a call is answered ≤ 10 s after the restarted app (same port) answers /health, and every call placed from 10 s after /health on is answered`,
        figures:
          `app restarted on the same port, /health after ${((healthAt - restartAt) / 1000).toFixed(1)} s; ` +
          (recoveryMs === null
            ? 'no call answered after the restart'
            : `first answered call ${(recoveryMs / 1000).toFixed(1)} s after /health; ` +
              `warm-up (first answer to +10 s): ${warmUp.filter(answered).length} of ${warmUp.length} answered; `) +
          `from +10 s on: ${settled.length - settledFailed.length} of ${settled.length} answered` +
          ` (load stopped ${((loadStoppedAt - healthAt) / 1000).toFixed(0)} s after /health)`,
        pass:
          recoveryMs !== null &&
          recoveryMs <= RECOVERY_MS &&
          settled.length > 0 &&
          settledFailed.length === 0,
      },
    ]
  } finally {
    sampling = false
    await sampler
    if (caller) await stopProcess(caller.child)
    if (callee) await stopProcess(callee.child)
    await edge.stop()
    media.close()
    await rtpengine.stop()
    await app.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export const suite: Suite = {
  name: 'webkill',
  order: 50,
  describe:
    'kill -9 of the web process under call load: edge fallback, no stuck dialog, recovery after restart (R14)',
  run: webKill,
}
