/**
 * REGISTER-with-digest throughput of voip-edge, measured with sipp against the real process
 * (bin/voip_edge.ts, UDP on loopback) over 10,000 distinct AORs. Prints one `name=value`
 * line per figure. Not a test: figures drift with the machine; compare within one run.
 *
 *   node bench/sip_bench.ts [rate=1000] [calls=10000]
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createSocket } from 'node:dgram'
import { Redis } from 'ioredis'
import { sippResults } from './sipp_results.ts'
import { deleteKeys } from '../tests/support/edge_harness.ts'

const rate = Number(process.argv[2] ?? 1000)
const calls = Number(process.argv[3] ?? 10_000)
const users = 10_000
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'voip-edge-bench-'))
const prefix = `vebench:${process.pid}:`

async function freePort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', () => done()))
  const port = socket.address().port
  await new Promise<void>((done) => socket.close(() => done()))
  return port
}

const extensions = Array.from({ length: users }, (_, i) => ({
  extensionId: `e${i}`,
  username: `u${i}`,
  password: `pw-${i}-bench`,
}))
writeFileSync(
  join(dir, 'tenants.json'),
  JSON.stringify([{ organizationId: 'bench-org', realm: 'bench.pbx.test', extensions }]),
)
writeFileSync(
  join(dir, 'users.csv'),
  [
    'SEQUENTIAL',
    ...extensions.map(
      (e) =>
        `${e.username};[authentication username=${e.username} password=${e.password}];bench.pbx.test`,
    ),
  ].join('\n') + '\n',
)
symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))

const port = await freePort()
const edge = spawn(process.execPath, [join(root, 'bin/voip_edge.ts')], {
  env: {
    ...process.env,
    VOIP_EDGE_SIGNING_SECRET: 'bench-signing-secret-0123456789abcdef',
    VOIP_EDGE_SIP_PORT: String(port),
    VOIP_EDGE_SIP_TRANSPORTS: 'udp',
    VOIP_EDGE_REDIS_PREFIX: prefix,
    VOIP_EDGE_CREDENTIALS_FILE: join(dir, 'tenants.json'),
    VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
    VOIP_EDGE_LOG_LEVEL: 'error',
    // REGISTER only: keep the media health pings away from any real rtpengine.
    VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${await freePort()}`,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
})
process.once('exit', () => edge.kill('SIGKILL'))
await new Promise<void>((done, fail) => {
  const timer = setTimeout(() => fail(new Error('edge did not start')), 10_000)
  // Log level "error" hides the start line: probe with OPTIONS until it answers.
  const probe = setInterval(() => {
    const socket = createSocket('udp4')
    let open = true
    const close = () => {
      if (open) socket.close()
      open = false
    }
    socket.once('message', () => {
      clearInterval(probe)
      clearTimeout(timer)
      close()
      done()
    })
    const options = `OPTIONS sip:bench@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKprobe${Date.now()};rport\r\nFrom: <sip:p@x>;tag=1\r\nTo: <sip:bench@x>\r\nCall-ID: probe-${Date.now()}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`
    socket.send(options, port, '127.0.0.1', () => setTimeout(close, 200))
  }, 250)
})

const started = Date.now()
const sipp = spawn(
  '/usr/bin/sipp',
  [
    '-sf',
    join(root, 'scenarios/uac_register_digest_expect_200.xml'),
    `127.0.0.1:${port}`,
    '-i',
    '127.0.0.1',
    '-p',
    String(await freePort()),
    '-inf',
    join(dir, 'users.csv'),
    '-r',
    String(rate),
    '-m',
    String(calls),
    '-l',
    '2000',
    '-nostdin',
    '-max_socket',
    '100',
    '-buff_size',
    '4194304',
    '-trace_rtt',
    '-rtt_freq',
    '1000',
    '-timeout',
    '120s',
    '-timeout_error',
  ],
  { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
)
let output = ''
sipp.stdout.on('data', (chunk) => (output += chunk))
sipp.stderr.on('data', (chunk) => (output += chunk))
const code = await new Promise<number | null>((done) => sipp.once('exit', done))
const elapsedMs = Date.now() - started

const { successful, failed, percentile: pct } = sippResults(dir, output, 2)

console.log(`register_digest_target_rate_per_s=${rate}`)
console.log(`register_digest_registrations=${calls} aors=${users}`)
console.log(`register_digest_successful=${successful} failed=${failed} sipp_exit=${code}`)
console.log(`register_digest_achieved_per_s=${((successful / elapsedMs) * 1000).toFixed(0)}`)
console.log(
  `register_digest_rtt_ms_p50=${pct(50)} p99=${pct(99)} (REGISTER→401→REGISTER→200; sipp measures in 4 ms steps)`,
)
console.log('kamailio_baseline=not measured (kamailio is not installed on this machine)')

edge.kill('SIGTERM')
await new Promise((done) => edge.once('exit', done))
const redis = new Redis()
await deleteKeys(redis, prefix)
redis.disconnect()
if (process.env.BENCH_KEEP) console.log(`kept=${dir}`)
else rmSync(dir, { recursive: true, force: true })
