/**
 * Concurrent anchored calls with RTP and per-stream packet loss. sipp carries the SIP
 * (caller alice → edge process → rtpengine → callee bob, both sipp), but the SDP of both
 * sides names two sockets of this process: once rtpengine's `query` shows a call's two
 * legs, this process sends 20 ms G.711 packets in both directions (one SSRC per stream,
 * sequence from 0) to rtpengine's ports and counts what comes out on the other side
 * (loss = highest sequence seen + 1 − packets received, per stream, i.e. RTP's cumulative
 * loss; a tail cut by the hang-up is not counted). Prints calls held, streams, loss per
 * stream (max, p99, mean), CPU of the edge and rtpengine (% of one core) and the load
 * average. Not a test.
 *
 *   node bench/rtp_load_bench.ts [calls=300] [durationSec=300] [cps=20]
 */
import { execFileSync, spawn } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import rtpengineClient from 'rtpengine-client'
import { cpuSeconds, waitForOptions } from './kamailio.ts'
import { launchSipp } from './sipp_results.ts'
import { freeUdpPort, startRtpengine, track } from '../tests/support/processes.ts'
import { TestUac } from '../tests/support/test_uac.ts'

const calls = Number(process.argv[2] ?? 300)
const durationSec = Number(process.argv[3] ?? 300)
const cps = Number(process.argv[4] ?? 20)
if (![calls, durationSec, cps].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('usage: node bench/rtp_load_bench.ts [calls=300] [durationSec=300] [cps=20]')
  process.exit(2)
}
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'voip-edge-rtpbench-'))
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

// The caller holds each call `durationSec` with no sipp media; SDP ports are ours.
const callerScenario = join(dir, 'uac_hold.xml')
writeFileSync(
  callerScenario,
  readFileSync(join(root, 'scenarios/uac_call_expect_200.xml'), 'utf8')
    .replaceAll('m=audio [media_port]', 'm=audio [aport]')
    .replace(/<nop>\s*<action>\s*<exec play_pcap_audio="[^"]+"\/>\s*<\/action>\s*<\/nop>/, '')
    .replace('<pause milliseconds="1500"/>', `<pause milliseconds="${durationSec * 1000}"/>`),
)
const calleeScenario = join(dir, 'uas_hold.xml')
writeFileSync(
  calleeScenario,
  readFileSync(join(root, 'scenarios/uas_answer_expect_200.xml'), 'utf8').replaceAll(
    'm=audio [media_port]',
    'm=audio [bport]',
  ),
)

const rtpengine = await startRtpengine({ ports: calls * 4 + 400 })
const sipPort = await freeUdpPort()
const edge = track(
  spawn(process.execPath, [join(root, 'bin/voip_edge.ts')], {
    env: {
      ...process.env,
      VOIP_EDGE_SIGNING_SECRET: 'bench-signing-secret-0123456789abcdef',
      VOIP_EDGE_SIP_PORT: String(sipPort),
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_REDIS_PREFIX: `vertpbench:${process.pid}:`,
      VOIP_EDGE_CREDENTIALS_FILE: join(dir, 'tenants.json'),
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_ROUTER: 'direct',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
      VOIP_EDGE_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
)
await waitForOptions(sipPort, 20_000)

async function bindSocket(): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 })
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', () => done()))
  return socket
}
const sideA = await bindSocket()
const sideB = await bindSocket()
const aport = sideA.address().port
const bport = sideB.address().port

interface Stream {
  ssrc: number
  socket: Socket
  to: number
  sequence: number
  timestamp: number
  live: boolean
}
interface Received {
  lowest: number
  highest: number
  received: number
}
const streams: Stream[] = []
const received = new Map<number, Received>()
let nextSsrc = 0x1000
const count = (message: Buffer) => {
  if (message.length < 12) return
  const ssrc = message.readUInt32BE(8)
  const sequence = message.readUInt16BE(2)
  const entry = received.get(ssrc) ?? { lowest: sequence, highest: -1, received: 0 }
  entry.received++
  if (sequence > entry.highest) entry.highest = sequence
  if (sequence < entry.lowest) entry.lowest = sequence
  received.set(ssrc, entry)
}
sideA.on('message', count)
sideB.on('message', count)

const payload = Buffer.alloc(160, 0xd5)
function packet(stream: Stream): Buffer {
  const header = Buffer.alloc(12)
  header[0] = 0x80
  header[1] = 8
  header.writeUInt16BE(stream.sequence & 0xffff, 2)
  header.writeUInt32BE(stream.timestamp >>> 0, 4)
  header.writeUInt32BE(stream.ssrc, 8)
  return Buffer.concat([header, payload])
}
// One clock for every stream; a late tick sends what is due so each stream keeps 50 pps.
const startedClock = performance.now()
let ticks = 0
const clock = setInterval(() => {
  const due = Math.floor((performance.now() - startedClock) / 20)
  while (ticks < due) {
    ticks++
    for (const stream of streams) {
      if (!stream.live) continue
      stream.socket.send(packet(stream), stream.to, '127.0.0.1')
      stream.sequence++
      stream.timestamp += 160
    }
  }
}, 5)

const ng = new rtpengineClient.Client({ localAddress: '127.0.0.1', timeout: 5000 })
await new Promise<void>((done) => ng.once('listening', () => done()))
const ngDest = { host: '127.0.0.1', port: rtpengine.ngPort }
const known = new Map<string, Stream[]>()
let peakCalls = 0

/** rtpengine's local port facing each of our sockets in one call (RTP component only). */
function legsOf(reply: Record<string, unknown>): { a: number | null; b: number | null } {
  const legs = { a: null as number | null, b: null as number | null }
  const tags = (reply.tags ?? {}) as Record<string, { medias?: unknown[] }>
  for (const tag of Object.values(tags))
    for (const media of (tag.medias ?? []) as Array<{ streams?: unknown[] }>)
      for (const stream of (media.streams ?? []) as Array<Record<string, unknown>>) {
        const endpoint = stream.endpoint as { port?: number } | undefined
        const local = Number(stream['local port'])
        if (!endpoint || !Number.isInteger(local) || local % 2 !== 0) continue
        if (endpoint.port === aport) legs.a = local
        if (endpoint.port === bport) legs.b = local
      }
  return legs
}

async function discover() {
  const list = (await ng.list(ngDest, { limit: calls * 2 })) as { calls?: string[] }
  const ids = list.calls ?? []
  peakCalls = Math.max(peakCalls, ids.length)
  const present = new Set(ids)
  for (const [id, pair] of known)
    if (!present.has(id)) {
      for (const stream of pair) stream.live = false
      known.delete(id)
    }
  for (const id of ids) {
    if (known.has(id)) continue
    const reply = await ng.query(ngDest, { 'call-id': id }).catch(() => null)
    if (!reply) continue
    const { a, b } = legsOf(reply)
    if (a === null || b === null) continue
    const pair = [
      { ssrc: nextSsrc++, socket: sideA, to: a, sequence: 0, timestamp: 0, live: true },
      { ssrc: nextSsrc++, socket: sideB, to: b, sequence: 0, timestamp: 0, live: true },
    ]
    streams.push(...pair)
    known.set(id, pair)
  }
}

const bob = await TestUac.open(sipPort)
const bobPort = await freeUdpPort()
const registered = await bob.register({
  user: 'bob',
  realm: 'bench.pbx.test',
  password: 'bob-bench-pw',
  contactPort: bobPort,
  expires: 3600,
})
bob.close()
if (registered.final.status !== 200) throw new Error(`bob: ${registered.final.status}`)

const sipp = (args: string[]) =>
  launchSipp(args, { cwd: dir, timeoutSec: durationSec + 120, keepChars: 4000 })
const callee = sipp([
  '-sf',
  calleeScenario,
  '-i',
  '127.0.0.1',
  '-p',
  String(bobPort),
  '-key',
  'bport',
  String(bport),
])
/** Kernel-wide UDP receive-buffer drops (any socket on the host: ours, rtpengine's, sipp's). */
function udpRcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'))
  const names = lines[0].split(/\s+/)
  return Number(lines[1].split(/\s+/)[names.indexOf('RcvbufErrors')])
}
const rcvbuf0 = udpRcvbufErrors()
const edgeCpu0 = cpuSeconds(edge.pid!)
const rtpCpu0 = cpuSeconds(rtpengine.child.pid!)
const wall0 = Date.now()
const caller = sipp([
  '-sf',
  callerScenario,
  `127.0.0.1:${sipPort}`,
  '-i',
  '127.0.0.1',
  '-p',
  String(await freeUdpPort()),
  '-inf',
  join(dir, 'users.csv'),
  '-key',
  'aport',
  String(aport),
  '-r',
  String(cps),
  '-m',
  String(calls),
  '-l',
  String(calls),
])
let done = false
void caller.exit.then(() => (done = true))
while (!done) {
  await discover().catch((error: unknown) => console.error('discover:', error))
  await new Promise((d) => setTimeout(d, 1000))
}
const wallSec = (Date.now() - wall0) / 1000
const edgeCpu = ((cpuSeconds(edge.pid!) - edgeCpu0) / wallSec) * 100
const rtpCpu = ((cpuSeconds(rtpengine.child.pid!) - rtpCpu0) / wallSec) * 100
const load = loadavg()
const rcvbufDrops = udpRcvbufErrors() - rcvbuf0
/** Receive-buffer drops of this process's two sockets (`ss` skmem d), to tell ours from rtpengine's. */
function ownSocketDrops(): number {
  const text = execFileSync('ss', ['-uamn'], { encoding: 'utf8' })
  let drops = 0
  const blocks = text.split(/\n(?=UNCONN|ESTAB)/)
  for (const block of blocks) {
    const local = /127\.0\.0\.1:(\d+)/.exec(block)
    if (!local || (Number(local[1]) !== aport && Number(local[1]) !== bport)) continue
    drops += Number(/,d(\d+)\)/.exec(block)?.[1] ?? 0)
  }
  return drops
}
const ownDrops = ownSocketDrops()
clearInterval(clock)
await new Promise((d) => setTimeout(d, 500))

const losses: number[] = []
let lateStart = 0
let sent = 0
let got = 0
for (const stream of streams) {
  sent += stream.sequence
  const entry = received.get(stream.ssrc)
  if (!entry) {
    losses.push(1)
    continue
  }
  const expected = entry.highest + 1
  if (entry.lowest > 0) lateStart += entry.lowest
  got += entry.received
  losses.push(Math.max(0, expected - entry.received) / expected)
}
losses.sort((x, y) => x - y)
const pct = (value: number) => `${(value * 100).toFixed(3)}%`
const at = (p: number) =>
  losses[Math.min(losses.length - 1, Math.ceil((p / 100) * losses.length) - 1)]
console.log(
  `rtp_load calls=${calls} duration_s=${durationSec} cps=${cps} caller_exit=${String(await caller.exit)}`,
)
console.log(
  `rtp_load peak_concurrent_calls=${peakCalls} streams=${streams.length} packets_sent=${sent} packets_received=${got}`,
)
console.log(
  `rtp_load loss_per_stream max=${pct(losses.at(-1) ?? 1)} p99=${pct(at(99) ?? 1)} mean=${pct(losses.reduce((s, l) => s + l, 0) / Math.max(1, losses.length))} streams_without_packets=${losses.filter((l) => l === 1).length}`,
)
console.log(
  `rtp_load first_packets_missing_total=${lateStart} (packets before a stream's first received one: setup-time loss) host_udp_rcvbuf_drops=${rcvbufDrops} of_which_at_the_bench_sockets=${ownDrops}`,
)
console.log(
  `rtp_load cpu_percent_of_one_core edge=${edgeCpu.toFixed(1)} rtpengine=${rtpCpu.toFixed(1)} wall_s=${wallSec.toFixed(0)} load_average=${load.map((l) => l.toFixed(2)).join('/')}`,
)
if (!/Successful call[^\n]*/.test(caller.output())) console.log(caller.output())
else console.log(`sipp ${/Successful call[^\n]*/.exec(caller.output())![0].replace(/\s+/g, ' ')}`)

ng.close()
sideA.close()
sideB.close()
await callee.stop()
edge.kill('SIGTERM')
await new Promise((d) => edge.once('exit', d))
await rtpengine.stop()
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
rmSync(dir, { recursive: true, force: true })
