/**
 * Call setups/s through voip-edge with media: sipp caller (407 challenge, DTMF pcap RTP) →
 * edge process (routing → rtpengine offer/answer → B-leg INVITE) → sipp callee with RTP echo
 * → 200/ACK → BYE, then the same load through Kamailio as a stateful proxy with rtpengine
 * (bench/kamailio.ts) in the same run. Prints one `name=value` line per figure and the
 * ratio. Not a test.
 *
 *   node bench/call_bench.ts [cps=50] [calls=500]
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { callerArgs, launchSipp, sippResults } from './sipp_results.ts'
import {
  KAMAILIO_CHILDREN,
  cpuSeconds,
  startKamailio,
  stopKamailio,
  waitForOptions,
} from './kamailio.ts'
import { deleteKeys } from '../tests/support/edge_harness.ts'
import { freeUdpPort, startRtpengine, track } from '../tests/support/processes.ts'
import { TestUac } from '../tests/support/test_uac.ts'
import { RtpEngine } from '../src/media/rtpengine.ts'

const cps = Number(process.argv[2] ?? 50)
const calls = Number(process.argv[3] ?? 500)
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'voip-edge-callbench-'))
const prefix = `vebench:${process.pid}:`
writeFileSync(
  join(dir, 'tenants.json'),
  JSON.stringify([
    {
      organizationId: 'bench-org',
      realm: 'bench.pbx.test',
      extensions: [
        { extensionId: 'a', username: 'alice', password: 'alice-bench-pw' },
        { extensionId: 'b', username: 'bob', password: 'bob-bench-pw' },
      ],
    },
  ]),
)
writeFileSync(
  join(dir, 'users.csv'),
  'SEQUENTIAL\nalice;[authentication username=alice password=alice-bench-pw];bench.pbx.test;bob\n',
)

const rtpengine = await startRtpengine({ ports: 4000 })
const port = await freeUdpPort()
const edge = track(
  spawn(process.execPath, [join(root, 'bin/voip_edge.ts')], {
    env: {
      ...process.env,
      VOIP_EDGE_SIGNING_SECRET: 'bench-signing-secret-0123456789abcdef',
      VOIP_EDGE_SIP_PORT: String(port),
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_REDIS_PREFIX: prefix,
      VOIP_EDGE_CREDENTIALS_FILE: join(dir, 'tenants.json'),
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_ROUTER: 'direct',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
)
await waitForOptions(port, 20_000)

const sipp = (args: string[], cwd: string) =>
  launchSipp(args, { cwd, timeoutSec: 300, bufferBytes: 4_194_304 })

/**
 * The caller scenario with a second response-time measure, INVITE → 180: sipp starts one
 * timer per message, so it starts at the 407's ACK, sent immediately before the INVITE.
 */
const callerScenario = join(dir, 'uac_call_timed.xml')
writeFileSync(
  callerScenario,
  readFileSync(join(root, 'scenarios/uac_call_expect_200.xml'), 'utf8')
    .replace('<send ack_txn="inv1">', '<send ack_txn="inv1" start_rtd="2">')
    .replace(
      '<recv response_txn="inv2" response="180" optional="true"/>',
      '<recv response_txn="inv2" response="180" optional="true" rtd="2"/>',
    ),
)

/**
 * The same call load against any SIP front (edge or Kamailio): bob registers there with his
 * Contact on a sipp callee (RTP echo), then the sipp caller places the calls to bob.
 * `calleeScenario` lets a record-routing proxy stay in the path of ACK and BYE.
 */
async function callLoad(target: number, runDir: string, calleeScenario: string) {
  mkdirSync(runDir, { recursive: true })
  symlinkSync('/usr/share/sip-tester', join(runDir, 'pcap'))
  const bobPort = await freeUdpPort()
  const uac = await TestUac.open(target)
  const registered = await uac.register({
    user: 'bob',
    realm: 'bench.pbx.test',
    password: 'bob-bench-pw',
    contactPort: bobPort,
    expires: 3600,
  })
  uac.close()
  if (registered.final.status !== 200)
    throw new Error(`bob did not register at ${target}: ${registered.final.status}`)
  const callee = sipp(
    [
      '-sf',
      calleeScenario,
      '-i',
      '127.0.0.1',
      '-p',
      String(bobPort),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(await freeUdpPort()),
      '-rtp_echo',
    ],
    runDir,
  )
  const started = Date.now()
  const caller = sipp(
    [
      ...(await callerArgs({
        scenario: callerScenario,
        target: `127.0.0.1:${target}`,
        cps,
        calls,
        limit: cps * 10,
      })),
      '-inf',
      join(dir, 'users.csv'),
      '-trace_rtt',
      '-rtt_freq',
      '100',
      '-trace_err',
    ],
    runDir,
  )
  const code = await caller.exit
  const elapsedMs = Date.now() - started
  await callee.stop()
  const { successful, failed, percentile } = sippResults(runDir, caller.output(), 0)
  // Give rtpengine's deletes a moment before counting what is left.
  await new Promise((done) => setTimeout(done, 500))
  const media = new RtpEngine({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 })
  const sessions = await media.list()
  const leftover = sessions.length
  media.close()
  return {
    code,
    successful,
    failed,
    achieved: (successful / elapsedMs) * 1000,
    p50: percentile(50, 1),
    p99: percentile(99, 1),
    ringingP50: percentile(50, 2),
    ringingP99: percentile(99, 2),
    leftover,
  }
}

const edgeCpu = cpuSeconds(edge.pid!)
const ours = await callLoad(
  port,
  join(dir, 'edge'),
  join(root, 'scenarios/uas_answer_expect_200.xml'),
)
const edgeCpuPerCall = ((cpuSeconds(edge.pid!) - edgeCpu) / calls) * 1000
edge.kill('SIGTERM')
await new Promise((done) => edge.once('exit', done))

// A proxy stays in the dialog only when the callee copies Record-Route into its answers.
const recordRouting = join(dir, 'uas_answer_record_route.xml')
writeFileSync(
  recordRouting,
  readFileSync(join(root, 'scenarios/uas_answer_expect_200.xml'), 'utf8').replace(
    /(\n\s*)\[last_Call-ID:\](?=[\s\S]*<recv request="ACK")/g,
    '$1[last_Record-Route:]$1[last_Call-ID:]',
  ),
)
const kamailioPort = await freeUdpPort()
const kamailio = await startKamailio({
  dir: join(dir, 'kamailio-cfg'),
  port: kamailioPort,
  users: [
    { username: 'alice', password: 'alice-bench-pw' },
    { username: 'bob', password: 'bob-bench-pw' },
  ],
  rtpengineNg: rtpengine.ngPort,
})
const kamailioCpu = cpuSeconds(kamailio.pid!)
const theirs = await callLoad(kamailioPort, join(dir, 'kamailio'), recordRouting)
const kamailioCpuPerCall = ((cpuSeconds(kamailio.pid!) - kamailioCpu) / calls) * 1000
await stopKamailio(kamailio)

console.log(`call_setup_target_cps=${cps} calls=${calls} load_average=${loadavg()[0].toFixed(2)}`)
for (const [name, run] of [
  ['edge', ours],
  ['kamailio', theirs],
] as const) {
  console.log(
    `${name}_call_setup_successful=${run.successful} failed=${run.failed} sipp_exit=${run.code}`,
  )
  console.log(
    `${name}_call_setup_achieved_cps=${run.achieved.toFixed(1)} (each call holds ~1.6 s of RTP)`,
  )
  console.log(
    `${name}_call_setup_invite_to_200_ms_p50=${run.p50} p99=${run.p99} (authenticated INVITE → 200 through auth, lookup/routing, rtpengine and the B-leg; sipp measures in 4 ms steps)`,
  )
  console.log(
    `${name}_call_setup_invite_to_180_ms_p50=${run.ringingP50} p99=${run.ringingP99} (from the ACK of the 407, sent right before the authenticated INVITE)`,
  )
  console.log(`${name}_rtpengine_sessions_left=${run.leftover}`)
}
console.log(
  `ratio_edge_to_kamailio_achieved_cps=${(ours.achieved / theirs.achieved).toFixed(2)} p99=${(Number(ours.p99) / Math.max(Number(theirs.p99), 1)).toFixed(2)}`,
)
console.log(
  `cpu_ms_per_call edge=${edgeCpuPerCall.toFixed(2)} kamailio=${kamailioCpuPerCall.toFixed(2)} ratio=${(edgeCpuPerCall / kamailioCpuPerCall).toFixed(2)} (user+system of the SIP process(es); rtpengine not counted)`,
)
console.log(
  `kamailio_setup=5.6 stateful proxy: proxy_authorize (auth_db/db_text, MD5 qop=auth), usrloc lookup, tm + Record-Route, rtpengine_manage/delete, ${KAMAILIO_CHILDREN} UDP workers; the edge is a B2BUA (two dialogs, CXML routing step, own SDP per leg)`,
)

await rtpengine.stop()
const redis = new Redis()
await deleteKeys(redis, prefix)
redis.disconnect()
if (process.env.BENCH_KEEP) console.log(`kept=${dir}`)
else rmSync(dir, { recursive: true, force: true })
