/**
 * REGISTER-with-digest throughput of voip-edge, measured with sipp against the real process
 * (bin/voip_edge.ts, UDP on loopback) over 10,000 distinct AORs, then the same sipp load
 * against Kamailio's registrar (bench/kamailio.ts) in the same run. Prints one `name=value`
 * line per figure and the ratio. Not a test: figures drift with the machine.
 *
 *   node bench/sip_bench.ts [rate=1000] [calls=10000]
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createSocket } from 'node:dgram'
import { Redis } from 'ioredis'
import { sippResults } from './sipp_results.ts'
import { KAMAILIO_CHILDREN, cpuSeconds, startKamailio, stopKamailio } from './kamailio.ts'
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

/** The same sipp REGISTER load against any registrar; each run in its own folder (rtt CSV). */
async function registerLoad(target: number, runDir: string, offered = rate) {
  mkdirSync(runDir, { recursive: true })
  const started = Date.now()
  const sipp = spawn(
    '/usr/bin/sipp',
    [
      '-sf',
      join(root, 'scenarios/uac_register_digest_expect_200.xml'),
      `127.0.0.1:${target}`,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-inf',
      join(dir, 'users.csv'),
      '-r',
      String(offered),
      '-m',
      String(calls),
      '-l',
      '5000',
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
    { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  sipp.stdout.on('data', (chunk) => (output += chunk))
  sipp.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((done) => sipp.once('exit', done))
  const elapsedMs = Date.now() - started
  const { successful, failed, percentile } = sippResults(runDir, output, 2)
  return {
    code,
    successful,
    failed,
    achieved: (successful / elapsedMs) * 1000,
    p50: percentile(50),
    p99: percentile(99),
  }
}

const edgeCpu = cpuSeconds(edge.pid!)
const ours = await registerLoad(port, join(dir, 'edge'))
const edgeCpuPerRegistration = ((cpuSeconds(edge.pid!) - edgeCpu) / calls) * 1000
// Capacity: the same registrations offered far faster than either can answer them.
const capacityRate = rate * 8
const oursMax = await registerLoad(port, join(dir, 'edge-max'), capacityRate)
edge.kill('SIGTERM')
await new Promise((done) => edge.once('exit', done))

const kamailioPort = await freePort()
const kamailio = await startKamailio({
  dir: join(dir, 'kamailio'),
  port: kamailioPort,
  users: extensions,
  rtpengineNg: null,
})
const kamailioCpu = cpuSeconds(kamailio.pid!)
const theirs = await registerLoad(kamailioPort, join(dir, 'kamailio'))
const kamailioCpuPerRegistration = ((cpuSeconds(kamailio.pid!) - kamailioCpu) / calls) * 1000
const theirsMax = await registerLoad(kamailioPort, join(dir, 'kamailio-max'), capacityRate)
await stopKamailio(kamailio)

console.log(
  `register_digest_target_rate_per_s=${rate} load_average=${loadavg()[0].toFixed(2)} (at the end)`,
)
console.log(`register_digest_registrations=${calls} aors=${users}`)
for (const [name, run] of [
  ['edge', ours],
  ['kamailio', theirs],
  ['edge_capacity', oursMax],
  ['kamailio_capacity', theirsMax],
] as const) {
  console.log(
    `${name}_register_successful=${run.successful} failed=${run.failed} sipp_exit=${run.code}`,
  )
  console.log(`${name}_register_achieved_per_s=${run.achieved.toFixed(0)}`)
  console.log(
    `${name}_register_rtt_ms_p50=${run.p50} p99=${run.p99} (REGISTER→401→REGISTER→200; sipp measures in 4 ms steps)`,
  )
}
console.log(
  `ratio_edge_to_kamailio_achieved=${(ours.achieved / theirs.achieved).toFixed(2)} (offered ${rate}/s: 1.00 means both kept up) p99=${(Number(ours.p99) / Math.max(Number(theirs.p99), 1)).toFixed(2)}`,
)
console.log(
  `cpu_ms_per_registration edge=${edgeCpuPerRegistration.toFixed(3)} kamailio=${kamailioCpuPerRegistration.toFixed(3)} ratio=${(edgeCpuPerRegistration / kamailioCpuPerRegistration).toFixed(2)} (user+system, at the offered rate; the edge's Redis is not counted)`,
)
console.log(
  `ratio_edge_to_kamailio_capacity=${(oursMax.achieved / theirsMax.achieved).toFixed(2)} (offered ${capacityRate}/s; successful registrations per second)`,
)
console.log(
  `kamailio_setup=5.6 registrar, auth_db over db_text (MD5, qop=auth, nonce counts), usrloc in memory, ${KAMAILIO_CHILDREN} UDP workers`,
)

const redis = new Redis()
await deleteKeys(redis, prefix)
redis.disconnect()
if (process.env.BENCH_KEEP) console.log(`kept=${dir}`)
else rmSync(dir, { recursive: true, force: true })
