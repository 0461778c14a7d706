/**
 * sipp as the benchmarks run it, and what they read back from a finished run: the
 * successful/failed counters of its final screen and the response-time percentiles from
 * its `-trace_rtt` CSV.
 */
import { spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { freeUdpPort, stopProcess, track } from '../tests/support/processes.ts'

export type SippProcess = {
  pid: number
  output(): string
  exit: Promise<number | null>
  stop(): Promise<void>
}

/**
 * One sipp process, killed with the bench. Under load sipp must never wait on a terminal
 * (-nostdin), may need many sockets, and must end on its own (-timeout with an error exit)
 * rather than hang the bench. `keepChars` bounds the kept output for hour-long runs.
 */
export function launchSipp(
  args: string[],
  options: { cwd: string; timeoutSec: number; bufferBytes?: number; keepChars?: number },
): SippProcess {
  const child = track(
    spawn(
      '/usr/bin/sipp',
      [
        ...args,
        '-nostdin',
        '-max_socket',
        '100',
        ...(options.bufferBytes ? ['-buff_size', String(options.bufferBytes)] : []),
        '-timeout',
        `${options.timeoutSec}s`,
        '-timeout_error',
      ],
      { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  )
  let output = ''
  const keep = (chunk: Buffer) => {
    output += chunk
    if (options.keepChars && output.length > options.keepChars)
      output = output.slice(-options.keepChars)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  return {
    pid: child.pid!,
    output: () => output,
    exit: new Promise((done) => child.once('exit', done)),
    stop: () => stopProcess(child),
  }
}

export function sippResults(dir: string, output: string, decimals: number) {
  const rttFile = readdirSync(dir).find((file) => file.endsWith('_rtt.csv'))
  // Rows are `date_ms;response_time_ms;rtd_no`.
  const rows = rttFile
    ? readFileSync(join(dir, rttFile), 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.split(';'))
    : []
  const sorted = (rtd: number | null) =>
    rows
      .filter((fields) => rtd === null || Number(fields[2]) === rtd)
      .map((fields) => Number(fields[1]))
      .filter((value) => Number.isFinite(value))
      .sort((a, b) => a - b)
  const rtts = sorted(null)
  const counter = (name: string) =>
    Number(new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(output)?.[1] ?? Number.NaN)
  return {
    successful: counter('Successful call'),
    failed: counter('Failed call'),
    percentile: (p: number, rtd: number | null = null) => {
      const values = rtd === null ? rtts : sorted(rtd)
      return values.length
        ? values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))].toFixed(
            decimals,
          )
        : 'n/a'
    },
  }
}

/**
 * A sipp caller's common arguments (loopback signalling and media, rate, total, concurrency);
 * benchmarks and reliability suites append their own (-inf, -t, traces, timeouts).
 */
export async function callerArgs(options: {
  scenario: string
  /** host:port of the edge. */
  target: string
  cps: number
  calls: number
  /** Most calls in progress at once. */
  limit: number
  /** Local RTP port, when the scenario or its CSV needs to know it. */
  mediaPort?: number
}): Promise<string[]> {
  return [
    '-sf',
    options.scenario,
    options.target,
    '-i',
    '127.0.0.1',
    '-p',
    String(await freeUdpPort()),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(options.mediaPort ?? (await freeUdpPort())),
    '-r',
    String(options.cps),
    '-m',
    String(options.calls),
    '-l',
    String(options.limit),
  ]
}
