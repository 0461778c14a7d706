/**
 * A mutation fuzzer for a running voip-edge: a corpus of real-shaped requests (as sipp and
 * baresip send them), mutated with byte flips, truncation, duplicated single-instance
 * headers, 1,000 headers, 500 Vias, Content-Length mismatches, oversized bodies and
 * tortured syntax, and sent over UDP and TCP. Deterministic per seed, so a crash can be
 * replayed. Used by the CI suite (10k messages) and by `npm run reliability` (≥ 100k).
 */
import { createSocket, type Socket } from 'node:dgram'
import { connect } from 'node:net'
import { readFileSync } from 'node:fs'
import { udpExchange, options as optionsRequest } from '../../support/raw_sip.ts'

export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const crlf = (lines: string[]) => lines.join('\r\n')
const SDP = crlf([
  'v=0',
  'o=user1 53655765 2353687637 IN IP4 127.0.0.2',
  's=-',
  'c=IN IP4 127.0.0.2',
  't=0 0',
  'm=audio 6000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  '',
])

function request(method: string, uri: string, n: number, extra: string[] = [], body = '') {
  return crlf([
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bK-fz${n};rport`,
    'Max-Forwards: 70',
    `From: "Fuzz ${n}" <sip:1001@acme.pbx.localhost>;tag=fz${n}`,
    `To: <sip:1002@acme.pbx.localhost>${method === 'BYE' || method === 'ACK' ? ';tag=to1' : ''}`,
    `Call-ID: fz${n}@127.0.0.2`,
    `CSeq: ${n % 1000} ${method === 'ACK' || method === 'CANCEL' ? 'INVITE' : method}`,
    'Contact: <sip:1001@127.0.0.2:5062;transport=udp>',
    'User-Agent: opbx-fuzzer',
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ])
}

/** The seeds: one of each request the edge sees in normal operation. */
export function corpus(n: number): string[] {
  const auth =
    'Authorization: Digest username="1001", realm="acme.pbx.localhost", nonce="bm9uY2U", ' +
    'uri="sip:acme.pbx.localhost", algorithm=MD5, qop=auth, nc=00000001, cnonce="c1", ' +
    'response="0123456789abcdef0123456789abcdef"'
  return [
    request('REGISTER', 'sip:acme.pbx.localhost', n, ['Expires: 300']),
    request('REGISTER', 'sip:acme.pbx.localhost', n, ['Expires: 300', auth]),
    request('INVITE', 'sip:1002@acme.pbx.localhost', n, ['Content-Type: application/sdp'], SDP),
    request('ACK', 'sip:1002@acme.pbx.localhost', n),
    request('BYE', 'sip:1002@127.0.0.1', n),
    request('CANCEL', 'sip:1002@acme.pbx.localhost', n),
    request('OPTIONS', 'sip:acme.pbx.localhost', n, ['Accept: application/sdp']),
    request('MESSAGE', 'sip:1002@acme.pbx.localhost', n, ['Content-Type: text/plain'], 'hi'),
    request('SUBSCRIBE', 'sip:1002@acme.pbx.localhost', n, ['Event: presence', 'Expires: 60']),
  ]
}

const INTERESTING = [
  ':',
  ';',
  ',',
  '<',
  '>',
  '"',
  '\\',
  '\r\n',
  '\r\n ',
  '\r',
  '\n',
  '\0',
  '%',
  '%00',
  '%G',
  '@',
  '=',
  ' ',
  '\t',
  '\r\n\r\n',
  '99999999999',
  '-1',
  '0x7fffffff',
  'Via: ',
  'l: 1',
  'Content-Length: 9',
  'sip:',
  'tel:',
  'SIP/2.0',
  'SIP/3.0',
  '\u00ff',
  '\u202e',
  '💥',
]
const SINGLE = ['To', 'From', 'Call-ID', 'CSeq', 'Content-Length', 'Max-Forwards', 'Expires']

type Mutation = (message: string, random: () => number) => string

const pick = <T>(items: T[], random: () => number) => items[Math.floor(random() * items.length)]
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1))
const split = (message: string) => {
  const end = message.indexOf('\r\n\r\n')
  return end < 0
    ? { head: message, body: '' }
    : { head: message.slice(0, end), body: message.slice(end + 4) }
}

export const MUTATIONS: Record<string, Mutation> = {
  byteFlip: (m, r) => {
    const bytes = Buffer.from(m, 'latin1')
    for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++)
      bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256)
    return bytes.toString('latin1')
  },
  truncate: (m, r) => m.slice(0, Math.floor(r() * m.length)),
  insert: (m, r) => {
    const i = at(m, r)
    return m.slice(0, i) + pick(INTERESTING, r) + m.slice(i)
  },
  remove: (m, r) => {
    const i = at(m, r)
    return m.slice(0, i) + m.slice(i + 1 + Math.floor(r() * 16))
  },
  duplicateHeader: (m, r) => {
    const name = pick(SINGLE, r)
    const line = m.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    const copy = line
      ? line.replace(/:\s*.*/, `: ${pick(['other', '7', 'x@y', '2 INVITE'], r)}`)
      : `${name}: 1`
    return m.replace('\r\n', `\r\n${copy}\r\n`)
  },
  thousandHeaders: (m) =>
    m.replace(
      '\r\n',
      `\r\n${Array.from({ length: 1000 }, (_, i) => `X-Fuzz-${i}: v${i}`).join('\r\n')}\r\n`,
    ),
  fiveHundredVias: (m) =>
    m.replace(
      '\r\n',
      `\r\n${Array.from({ length: 500 }, (_, i) => `Via: SIP/2.0/UDP 10.0.${i >> 8}.${i & 255};branch=z9hG4bKv${i}`).join('\r\n')}\r\n`,
    ),
  viaList: (m) =>
    m.replace(
      /\r\nVia: ([^\r]*)/,
      `\r\nVia: $1, ${Array.from({ length: 499 }, (_, i) => `SIP/2.0/UDP 10.1.0.${i & 255}`).join(', ')}`,
    ),
  contentLengthMismatch: (m, r) =>
    m.replace(
      /Content-Length: \d+/,
      `Content-Length: ${pick(['0', '1', '9999', '4294967296', '-5', 'abc', '12 12', '99999999999999999999', ''], r)}`,
    ),
  oversized: (m, r) => {
    const { head } = split(m)
    const size = pick([17_000, 40_000, 65_000], r)
    const body = 'A'.repeat(size)
    return `${head.replace(/Content-Length: \d+/, `Content-Length: ${size}`)}\r\n\r\n${body}`
  },
  longToken: (m, r) => {
    const long = pick(['1', 'a', '%41', '.'], r).repeat(pick([300, 5000, 15_000], r))
    return m.replace(pick(['1002@', 'fz', 'acme.pbx.localhost', 'z9hG4bK'], r), long)
  },
  foldLines: (m, r) => m.replace(/\r\n(?=[A-Z])/g, () => (r() < 0.3 ? '\r\n \r\n' : '\r\n')),
  bareLineEnds: (m, r) => m.replace(/\r\n/g, () => pick(['\n', '\r', '\r\n', '\r\r\n'], r)),
  garbage: (_m, r) => {
    const bytes = Buffer.alloc(1 + Math.floor(r() * 1400))
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256)
    return bytes.toString('latin1')
  },
  startLine: (m, r) =>
    m.replace(
      /^[^\r]*/,
      pick(
        [
          'INVITE sip:1002@acme.pbx.localhost SIP/3.0',
          'invite sip:1002@acme.pbx.localhost SIP/2.0',
          'INVITE  sip:1002@acme.pbx.localhost  SIP/2.0',
          'INVITE <sip:1002@acme.pbx.localhost> SIP/2.0',
          `${'X'.repeat(2000)} sip:a@b SIP/2.0`,
          'SIP/2.0 200 OK',
          'SIP/2.0 99999 Huge',
          'INVITE sip:1002@acme.pbx.localhost;maddr=198.51.100.7 SIP/2.0',
          'INVITE tel:+19005550100 SIP/2.0',
          '',
        ],
        r,
      ),
    ),
}

const NAMES = Object.keys(MUTATIONS)

/** Message `index` of run `seed`: a corpus entry with one to three mutations applied. */
export function mutated(seed: number, index: number): { name: string; data: Buffer } {
  const random = prng(seed * 1_000_003 + index)
  let message = pick(corpus(index), random)
  const applied: string[] = []
  for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
    const name = pick(NAMES, random)
    applied.push(name)
    message = MUTATIONS[name](message, random)
  }
  return { name: applied.join('+'), data: Buffer.from(message, 'latin1') }
}

export type FuzzTarget = { pid: number; udpPort: number; tcpPort: number }

export type FuzzReport = {
  seed: number
  sent: { udp: number; tcp: number }
  replies: Record<string, number>
  probes: number
  failedProbes: number
  rssBaselineMb: number
  rssPeakMb: number
  rssFinalMb: number
  seconds: number
  alive: boolean
  finalOptionsUdp: boolean
  finalOptionsTcp: boolean
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 102.4) / 10
}

export function alive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** OPTIONS over UDP from 127.0.0.1, with retries: the edge is "up" when one gets a 200. */
export async function optionsOk(port: number, tag: string, attempts = 3) {
  for (let i = 0; i < attempts; i++) {
    const reply = await udpExchange(optionsRequest(`probe-${tag}-${i}`), port, { timeoutMs: 2000 })
    if (reply?.startsWith('SIP/2.0 200')) return true
  }
  return false
}

export function optionsOkTcp(port: number, tag: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let text = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(false)
    }, 3000)
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1')
      if (/^SIP\/2\.0 \d{3}/.test(text) && text.includes('\r\n\r\n')) {
        clearTimeout(timer)
        socket.destroy()
        resolve(text.startsWith('SIP/2.0 200'))
      }
    })
    socket.on('error', () => {
      clearTimeout(timer)
      resolve(false)
    })
    socket.write(optionsRequest(`probe-tcp-${tag}`).replace('SIP/2.0/UDP', 'SIP/2.0/TCP'))
  })
}

/** Sends a batch over one TCP connection and closes it (the edge may close it first). */
function tcpBatch(port: number, messages: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.2', port, localAddress: '127.0.0.2' })
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve()
    }
    const timer = setTimeout(done, 2000)
    socket.on('error', done)
    socket.on('close', done)
    socket.on('data', () => undefined)
    socket.on('connect', () => {
      for (const message of messages) socket.write(message)
      socket.end()
    })
  })
}

/**
 * Sends `count` mutated messages (about 70 % UDP, 30 % TCP) from 127.0.0.2, probing OPTIONS
 * from 127.0.0.1 and sampling the edge's RSS every `probeEvery` messages.
 */
export async function fuzz(
  target: FuzzTarget,
  options: {
    count: number
    seed: number
    probeEvery?: number
    onProgress?: (sent: number) => void
  },
): Promise<FuzzReport> {
  const probeEvery = options.probeEvery ?? 1000
  const started = performance.now()
  const report: FuzzReport = {
    seed: options.seed,
    sent: { udp: 0, tcp: 0 },
    replies: {},
    probes: 0,
    failedProbes: 0,
    rssBaselineMb: rssMb(target.pid),
    rssPeakMb: 0,
    rssFinalMb: 0,
    seconds: 0,
    alive: true,
    finalOptionsUdp: false,
    finalOptionsTcp: false,
  }
  report.rssPeakMb = report.rssBaselineMb
  const socket: Socket = createSocket('udp4')
  socket.on('message', (reply) => {
    const status = /^SIP\/2\.0 (\d)\d\d/.exec(reply.toString('latin1', 0, 16))?.[1]
    const key = status ? `${status}xx` : 'other'
    report.replies[key] = (report.replies[key] ?? 0) + 1
  })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.2', () => resolve()))
  try {
    let tcpPending: Buffer[] = []
    const tcpBatches: Promise<void>[] = []
    for (let index = 0; index < options.count; index++) {
      const { data } = mutated(options.seed, index)
      if (index % 10 < 7 && data.length <= 65_507) {
        socket.send(data, target.udpPort, '127.0.0.1')
        report.sent.udp += 1
      } else {
        tcpPending.push(data)
        report.sent.tcp += 1
        if (tcpPending.length >= 10) {
          tcpBatches.push(tcpBatch(target.tcpPort, tcpPending))
          tcpPending = []
        }
      }
      // Pace the sender so the kernel's socket buffers, not the edge, are not the limit.
      if (index % 50 === 49) {
        await Promise.all(tcpBatches.splice(0))
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      if (index % probeEvery === probeEvery - 1) {
        report.probes += 1
        if (!(await optionsOk(target.udpPort, `${options.seed}-${index}`))) report.failedProbes += 1
        if (!alive(target.pid)) break
        report.rssPeakMb = Math.max(report.rssPeakMb, rssMb(target.pid))
        options.onProgress?.(index + 1)
      }
    }
    if (tcpPending.length > 0) tcpBatches.push(tcpBatch(target.tcpPort, tcpPending))
    await Promise.all(tcpBatches)
  } finally {
    socket.close()
  }
  report.alive = alive(target.pid)
  if (report.alive) {
    report.finalOptionsUdp = await optionsOk(target.udpPort, `${options.seed}-final`)
    report.finalOptionsTcp = await optionsOkTcp(target.tcpPort, `${options.seed}-final`)
    report.rssFinalMb = rssMb(target.pid)
    report.rssPeakMb = Math.max(report.rssPeakMb, report.rssFinalMb)
  }
  report.seconds = Math.round((performance.now() - started) / 100) / 10
  return report
}
