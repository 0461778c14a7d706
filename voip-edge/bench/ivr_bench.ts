/**
 * IVR calls/s through voip-edge: sipp caller (407 challenge) → edge process (signed M1 to a
 * local CXML app → answer through rtpengine → `<Gather numDigits="1"><Say>` prompt played
 * with `play media`) → the caller listens 2 s, sends RFC 2833 digit 1 → rtpengine's DTMF log
 * → Gather posts Digits=1 → the action's `<Hangup/>` → BYE to the caller. Not a test.
 *
 * Two phases in one run: the baseline menu has no prompt (Gather only: answer, DTMF, action,
 * BYE), the measured one adds the Say prompt, so the difference is the cost of TTS + playback.
 * Every caller's SDP names one counting UDP socket, which therefore receives all prompt RTP.
 *
 *   node bench/ivr_bench.ts [cps=20] [calls=200]
 */
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { mkdtempSync, readFileSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { callerArgs, launchSipp, sippResults } from './sipp_results.ts'
import { deleteKeys } from '../tests/support/edge_harness.ts'
import { freeUdpPort, startRtpengine, stopProcess, track } from '../tests/support/processes.ts'
import { CxmlServer } from '../tests/support/cxml_server.ts'
import { RtpEngine } from '../src/media/rtpengine.ts'

const cps = Number(process.argv[2] ?? 20)
const calls = Number(process.argv[3] ?? 200)
const secret = 'bench-signing-secret-0123456789abcdef'
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'voip-edge-ivrbench-'))
const prefix = `vebench:${process.pid}:`
symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
writeFileSync(
  join(dir, 'tenants.json'),
  JSON.stringify([
    {
      organizationId: 'bench-org',
      realm: 'bench.pbx.test',
      extensions: [{ extensionId: 'a', username: 'alice', password: 'alice-bench-pw' }],
    },
  ]),
)

const counter = createSocket('udp4')
let promptPackets = 0
counter.on('message', () => promptPackets++)
await new Promise<void>((done) => counter.bind(0, '127.0.0.1', () => done()))
writeFileSync(
  join(dir, 'users.csv'),
  `SEQUENTIAL\nalice;[authentication username=alice password=alice-bench-pw];bench.pbx.test;500;${counter.address().port}\n`,
)

const app = new CxmlServer(secret)
const appUrl = await app.start()
app.documents.set('/api/voice/choice', '<Response><Hangup/></Response>')

const dtmfPort = await freeUdpPort()
// Prompt RTP must keep going to the SDP address (the counting socket), not to where sipp sends from.
const rtpengine = await startRtpengine({
  ports: 4000,
  dtmfLogPort: dtmfPort,
  extraArgs: ['--endpoint-learning=off'],
})
const port = await freeUdpPort()
const edge = track(
  spawn(process.execPath, [join(root, 'bin/voip_edge.ts')], {
    env: {
      ...process.env,
      VOIP_EDGE_SIGNING_SECRET: secret,
      VOIP_EDGE_SIP_PORT: String(port),
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_REDIS_PREFIX: prefix,
      VOIP_EDGE_CREDENTIALS_FILE: join(dir, 'tenants.json'),
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_ROUTER: 'http',
      VOIP_EDGE_APP_BASE_URL: appUrl,
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_DTMF_LISTEN: `127.0.0.1:${dtmfPort}`,
      VOIP_EDGE_MEDIA_CACHE_DIR: join(dir, 'media'),
      VOIP_EDGE_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
)
await new Promise((done) => setTimeout(done, 1500))

/** utime+stime of a process, in clock ticks (Linux). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return Number(fields[11]) + Number(fields[12])
}

async function phase(name: string, document: string) {
  app.document = document
  app.calls.length = 0
  promptPackets = 0
  const runDir = mkdtempSync(join(dir, `${name}-`))
  symlinkSync('/usr/share/sip-tester', join(runDir, 'pcap'))
  const edgeCpu = cpuTicks(edge.pid!)
  const rtpCpu = cpuTicks(rtpengine.child.pid!)
  const started = Date.now()
  const sipp = launchSipp(
    [
      ...(await callerArgs({
        scenario: join(root, 'scenarios/uac_ivr_digit_edge_hangs_up_expect_200.xml'),
        target: `127.0.0.1:${port}`,
        cps,
        calls,
        limit: cps * 20,
      })),
      '-inf',
      join(dir, 'users.csv'),
      '-trace_rtt',
      '-rtt_freq',
      '100',
    ],
    { cwd: runDir, timeoutSec: 300, bufferBytes: 4_194_304 },
  )
  const code = await sipp.exit
  const output = sipp.output()
  const elapsedMs = Date.now() - started
  const ticks = (cpuTicks(edge.pid!) - edgeCpu) / 100
  const rtpTicks = (cpuTicks(rtpengine.child.pid!) - rtpCpu) / 100
  const { successful, failed, percentile: pct } = sippResults(runDir, output, 0)
  const digits = app.calls.filter((call) => call.body.Digits === '1').length
  // sipp's cumulative "Call Rate": calls over the whole run, the ~2.5 s tail included.
  const startedCps = /Call Rate\s+\|\s+[\d.]+ cps\s+\|\s+([\d.]+) cps/.exec(output)?.[1] ?? 'n/a'
  const peak = /Peak was (\d+) calls/.exec(output)?.[1] ?? 'n/a'
  console.log(`${name}_target_cps=${cps} calls=${calls}`)
  console.log(`${name}_successful=${successful} failed=${failed} sipp_exit=${code}`)
  console.log(
    `${name}_started_cps=${startedCps} completed_per_s=${((successful / elapsedMs) * 1000).toFixed(1)} (incl. the ~2.5 s each call lasts) peak_concurrent=${peak}`,
  )
  console.log(`${name}_gather_actions_with_digit_1=${digits}`)
  console.log(
    `${name}_prompt_rtp_packets_per_call=${(promptPackets / Math.max(1, successful)).toFixed(1)} (50/s while the prompt plays)`,
  )
  console.log(`${name}_invite_to_200_ms_p50=${pct(50)} p99=${pct(99)}`)
  console.log(
    `${name}_cpu_seconds edge=${ticks.toFixed(1)} rtpengine=${rtpTicks.toFixed(1)} over ${(elapsedMs / 1000).toFixed(1)} s`,
  )
}

await phase(
  'baseline_gather_only',
  '<Response><Gather action="choice" numDigits="1" timeout="5"/><Hangup/></Response>',
)
await phase(
  'say_gather',
  '<Response><Gather action="choice" numDigits="1" timeout="5"><Say>Welcome to the benchmark company. For sales, press one. For support, press two.</Say></Gather><Hangup/></Response>',
)

const media = new RtpEngine({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 })
const left = await media.list()
console.log(`rtpengine_sessions_left=${left.length}`)
media.close()

edge.kill('SIGTERM')
await new Promise((done) => edge.once('exit', done))
await stopProcess(rtpengine.child)
await app.stop()
counter.close()
const redis = new Redis()
await deleteKeys(redis, prefix)
redis.disconnect()
if (process.env.BENCH_KEEP) console.log(`kept=${dir}`)
else rmSync(dir, { recursive: true, force: true })
