/**
 * Call setups/s through voip-edge with media: sipp caller (407 challenge, DTMF pcap RTP) →
 * edge process (routing → rtpengine offer/answer → B-leg INVITE) → sipp callee with RTP echo
 * → 200/ACK → BYE. Prints one `name=value` line per figure. Not a test.
 *
 *   node bench/call_bench.ts [cps=50] [calls=500]
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { sippResults } from './sipp_results.ts'
import { deleteKeys } from '../tests/support/edge_harness.ts'
import { freeUdpPort, startRtpengine, stopProcess, track } from '../tests/support/processes.ts'
import { TestUac } from '../tests/support/test_uac.ts'
import { RtpEngine } from '../src/media/rtpengine.ts'

const cps = Number(process.argv[2] ?? 50)
const calls = Number(process.argv[3] ?? 500)
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'voip-edge-callbench-'))
const prefix = `vebench:${process.pid}:`
symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
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
await new Promise((done) => setTimeout(done, 1500))

const bobPort = await freeUdpPort()
const uac = await TestUac.open(port)
const registered = await uac.register({
  user: 'bob',
  realm: 'bench.pbx.test',
  password: 'bob-bench-pw',
  contactPort: bobPort,
  expires: 3600,
})
uac.close()
if (registered.final.status !== 200)
  throw new Error(`bob did not register: ${registered.final.status}`)

const sipp = (args: string[]) => {
  const child = track(
    spawn(
      '/usr/bin/sipp',
      [
        ...args,
        '-nostdin',
        '-max_socket',
        '100',
        '-buff_size',
        '4194304',
        '-timeout',
        '300s',
        '-timeout_error',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return {
    child,
    output: () => output,
    exit: new Promise<number | null>((done) => child.once('exit', done)),
  }
}
const callee = sipp([
  '-sf',
  join(root, 'scenarios/uas_answer_expect_200.xml'),
  '-i',
  '127.0.0.1',
  '-p',
  String(bobPort),
  '-mi',
  '127.0.0.1',
  '-mp',
  String(await freeUdpPort()),
  '-rtp_echo',
])
const started = Date.now()
const caller = sipp([
  '-sf',
  join(root, 'scenarios/uac_call_expect_200.xml'),
  `127.0.0.1:${port}`,
  '-i',
  '127.0.0.1',
  '-p',
  String(await freeUdpPort()),
  '-mi',
  '127.0.0.1',
  '-mp',
  String(await freeUdpPort()),
  '-inf',
  join(dir, 'users.csv'),
  '-r',
  String(cps),
  '-m',
  String(calls),
  '-l',
  String(cps * 10),
  '-trace_rtt',
  '-rtt_freq',
  '100',
  '-trace_err',
])
const code = await caller.exit
const elapsedMs = Date.now() - started
await stopProcess(callee.child)

const output = caller.output()
const { successful, failed, percentile: pct } = sippResults(dir, output, 0)
const media = new RtpEngine({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 2000 })
const remaining = await media.list()
const leftover = remaining.length
media.close()

console.log(`call_setup_target_cps=${cps} calls=${calls}`)
console.log(`call_setup_successful=${successful} failed=${failed} sipp_exit=${code}`)
console.log(
  `call_setup_achieved_cps=${((successful / elapsedMs) * 1000).toFixed(1)} (each call holds ~1.6 s of RTP)`,
)
console.log(
  `call_setup_invite_to_200_ms_p50=${pct(50)} p99=${pct(99)} (authenticated INVITE → 200 through routing, rtpengine and the B-leg; sipp measures in 4 ms steps)`,
)
console.log(`rtpengine_sessions_left=${leftover}`)
console.log('kamailio_baseline=not measured (kamailio is not installed on this machine)')

edge.kill('SIGTERM')
await new Promise((done) => edge.once('exit', done))
await rtpengine.stop()
const redis = new Redis()
await deleteKeys(redis, prefix)
redis.disconnect()
if (process.env.BENCH_KEEP) console.log(`kept=${dir}`)
else rmSync(dir, { recursive: true, force: true })
