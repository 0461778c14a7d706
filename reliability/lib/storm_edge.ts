/**
 * voip-edge (bin/voip_edge.ts) as a child process for the storm and netem suites: unlike
 * voip-edge/tests/reliability/support/edge_process.ts it takes a fixed address, port, Redis
 * URL and prefix, so that the same edge can be killed and started again "in place", and it
 * can bind to an address other than loopback. Also: a sipp runner that keeps its work
 * folder (rtt and error traces) for the caller to read.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'
import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { ROOT, sleep } from './processes.ts'

const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

export function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** A UDP port free a moment ago on `address`. */
export async function freeUdp(address = '127.0.0.1'): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()))
  const port = socket.address().port
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** One OPTIONS over UDP: true when a 200 comes back within `timeoutMs`. */
export function optionsAnswered(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.close()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.on('error', () => done(false))
    socket.on('message', (message) => done(message.toString('latin1').startsWith('SIP/2.0 200')))
    socket.bind(0, host, () => {
      const local = socket.address()
      const tag = randomBytes(6).toString('hex')
      socket.send(
        `OPTIONS sip:probe@${host}:${port} SIP/2.0\r\n` +
          `Via: SIP/2.0/UDP ${host}:${local.port};branch=z9hG4bK${tag};rport\r\n` +
          `From: <sip:probe@${host}>;tag=${tag}\r\nTo: <sip:probe@${host}>\r\n` +
          `Call-ID: probe-${tag}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
        port,
        host,
      )
    })
  })
}

export const EDGE_SECRET = 'reliability-storm-secret-0123456789abcdef'

export type EdgeChild = {
  child: ChildProcess
  pid: number
  output(): string
  /** Resolves once OPTIONS is answered; rejects if the process exits or `timeoutMs` passes. */
  ready(timeoutMs?: number): Promise<void>
  stop(signal?: NodeJS.Signals): Promise<void>
}

export type EdgeOptions = {
  host: string
  port: number
  redisUrl: string
  prefix: string
  credentialsFile: string
  env?: Record<string, string>
  /** Also append everything the edge prints to this file (debugging). */
  logFile?: string
}

export function spawnEdge(options: EdgeOptions): EdgeChild {
  const child = track(
    spawn(process.execPath, ['bin/voip_edge.ts'], {
      cwd: join(ROOT, 'voip-edge'),
      env: {
        ...process.env,
        VOIP_EDGE_SIGNING_SECRET: EDGE_SECRET,
        VOIP_EDGE_SIP_HOST: options.host,
        VOIP_EDGE_SIP_PORT: String(options.port),
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_REDIS_URL: options.redisUrl,
        VOIP_EDGE_REDIS_PREFIX: options.prefix,
        VOIP_EDGE_CREDENTIALS_FILE: options.credentialsFile,
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_DRAIN_TIMEOUT_MS: '1000',
        VOIP_EDGE_LOG_LEVEL: 'error',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  if (options.logFile) {
    const file = createWriteStream(options.logFile, { flags: 'a' })
    child.stdout!.pipe(file)
    child.stderr!.pipe(file)
  }
  return {
    child,
    pid: child.pid!,
    output: () => output,
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`edge exited (${child.exitCode ?? child.signalCode}):\n${output}`)
        if (await optionsAnswered(options.host, options.port, 300)) return
        await sleep(100)
      }
      throw new Error(`edge did not answer OPTIONS within ${timeoutMs} ms:\n${output}`)
    },
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
  }
}

export function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return Math.round(kb / 102.4) / 10
  } catch {
    return 0
  }
}

export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 })
  try {
    for (let found = 1; found > 0;) {
      found = 0
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
        if (keys.length > 0) await redis.del(...keys)
        found += keys.length
        cursor = next
      } while (cursor !== '0')
    }
  } finally {
    redis.disconnect()
  }
}

export type SippResult = {
  code: number | null
  output: string
  dir: string
  successful: number
  failed: number
  created: number
  /** Response times (ms) of the scenario's rtd 1, ascending. */
  rtts: number[]
  /** Responses that aborted a call, by status code, from -trace_err. */
  unexpected: Record<string, number>
  /** Calls aborted because a request was never answered (UDP retransmission timeout). */
  retransTimeouts: number
  /** Lines of the -trace_err log. */
  errors: string[]
  /** The -trace_msg log ('' without it). */
  messages: string
  /** The -trace_stat samples (-fd seconds apart): cumulative counters, `t` in s since start. */
  samples: {
    t: number
    created: number
    successful: number
    failed: number
    retransmissions: number
  }[]
  cleanup(): void
}

/**
 * Runs sipp to completion (or until killed after `killAfterMs`) in its own folder with
 * -trace_err and -trace_rtt, and reads back counters and traces. `wrap` prefixes the
 * command, e.g. ['ip', 'netns', 'exec', 'ns'].
 */
export async function runSippTo(
  args: string[],
  options: { killAfterMs: number; wrap?: string[]; onSpawn?: (child: ChildProcess) => void },
): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'opbx-reliability-sipp-'))
  symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
  const command = [...(options.wrap ?? []), '/usr/bin/sipp', ...args, '-nostdin']
  const child = track(
    spawn(command[0], command.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }),
  )
  options.onSpawn?.(child)
  let output = ''
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-50_000)))
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-50_000)))
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(killer)
  const files = readdirSync(dir)
  const read = (suffix: string) => {
    const file = files.find((name) => name.endsWith(suffix))
    return file ? readFileSync(join(dir, file), 'utf8') : ''
  }
  const rtts = read('_rtt.csv')
    .split('\n')
    .slice(1)
    .map((line) => line.split(';'))
    .filter((fields) => Number(fields[2]) === 1)
    .map((fields) => Number(fields[1]))
    .filter((value) => Number.isFinite(value))
    .sort((a, b) => a - b)
  const errorLog = read('_errors.log')
  const errors = errorLog.split('\n').filter((line) => line.trim() !== '')
  // Entries are not always newline-separated, so they are matched in the whole text. Late
  // answers to retransmitted requests reach calls that already ended ("Dead call"): only the
  // answers that aborted a call count.
  const unexpected: Record<string, number> = {}
  for (const match of errorLog.matchAll(
    /Aborting call on unexpected message for Call-Id '[^']*': while expecting '[^']*' \(index \d+\), received 'SIP\/2\.0 (\d{3})/g,
  ))
    unexpected[match[1]] = (unexpected[match[1]] ?? 0) + 1
  // The cumulative column of the last statistics screen sipp printed.
  const counter = (name: string) =>
    Number(
      [...output.matchAll(new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`, 'g'))].at(
        -1,
      )?.[1] ?? Number.NaN,
    )
  return {
    code,
    output,
    dir,
    successful: counter('Successful call'),
    failed: counter('Failed call'),
    created: counter('Outgoing calls created'),
    rtts,
    unexpected,
    retransTimeouts: [...errorLog.matchAll(/Aborting call on UDP retransmission timeout/g)].length,
    errors,
    messages: read('_messages.log'),
    samples: statSamples(read('_.csv')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

function statSamples(csv: string): SippResult['samples'] {
  const [header, ...rows] = csv.split('\n').filter((line) => line.trim() !== '')
  if (!header) return []
  const columns = header.split(';')
  const at = (name: string) => columns.indexOf(name)
  // Time stamps are "date<TAB>time<TAB>epoch" cells.
  const epoch = (cell: string) => Number(cell.split('\t').at(-1))
  const start = epoch(rows[0]?.split(';')[0] ?? '')
  return rows.map((row) => {
    const cells = row.split(';')
    return {
      t: epoch(cells[at('CurrentTime')]) - start,
      created: Number(cells[at('OutgoingCall(C)')]),
      successful: Number(cells[at('SuccessfulCall(C)')]),
      failed: Number(cells[at('FailedCall(C)')]),
      retransmissions: Number(cells[at('Retransmissions(C)')]),
    }
  })
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
