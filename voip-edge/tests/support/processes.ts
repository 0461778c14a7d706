import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'

const children = new Set<ChildProcess>()
// Last line of defence: never leave an rtpengine or sipp behind when the runner exits.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

export function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export async function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** A UDP port that was free a moment ago on 127.0.0.1 (for tools that cannot bind :0). */
export async function freeUdpPort(address = '127.0.0.1'): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()))
  const port = socket.address().port
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

export interface RtpengineProcess {
  ngPort: number
  child: ChildProcess
  log(): string
  stop(): Promise<void>
}

/** Userspace rtpengine on loopback with its own ng port and a random media port block. */
export async function startRtpengine(
  options: {
    ports?: number
    /** --dtmf-log-dest: where rtpengine reports DTMF events (the edge's DTMF sink). */
    dtmfLogPort?: number
    /** --recording-dir with the pcap method (Record). */
    recordingDir?: string
    extraArgs?: string[]
    /** A restart listens on the ng port the edge already sends to. */
    ngPort?: number
  } = {},
): Promise<RtpengineProcess> {
  const ngPort = options.ngPort ?? (await freeUdpPort())
  // Each anchored call holds 4 ports (RTP+RTCP per leg): size the block to the load.
  const ports = options.ports ?? 100
  const base = 20_000 + Math.floor(Math.random() * Math.floor((9_000 - ports) / 100)) * 100
  const child = track(
    spawn(
      '/usr/bin/rtpengine',
      [
        '--config-file=none',
        '--table=-1',
        '--interface=127.0.0.1',
        `--listen-ng=127.0.0.1:${ngPort}`,
        '--foreground',
        '--log-stderr',
        '--log-level=6',
        `--port-min=${base}`,
        `--port-max=${base + ports - 1}`,
        '--delete-delay=0',
        ...(options.dtmfLogPort ? [`--dtmf-log-dest=127.0.0.1:${options.dtmfLogPort}`] : []),
        ...(options.recordingDir
          ? [`--recording-dir=${options.recordingDir}`, '--recording-method=pcap']
          : []),
        ...(options.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  )
  /*
   * rtpengine logs every offer, answer and delete at this level: an hour of calls is hundreds
   * of megabytes. Only the tail is kept, and the startup line is looked for only until it
   * came (scanning the whole log on every chunk made a 1-hour soak's harness the busiest
   * process on the box).
   */
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      child.stderr!.off('data', check)
      child.stdout!.off('data', check)
      child.off('exit', exited)
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`rtpengine did not start:\n${output}`))
    }, 5000)
    const check = () => {
      if (/Startup complete/.test(output)) {
        done()
        resolve()
      }
    }
    const exited = (code: number | null) => {
      done()
      reject(new Error(`rtpengine exited with ${code}:\n${output}`))
    }
    child.stderr!.on('data', check)
    child.stdout!.on('data', check)
    child.once('exit', exited)
  })
  return { ngPort, child, log: () => output, stop: () => stopProcess(child) }
}
