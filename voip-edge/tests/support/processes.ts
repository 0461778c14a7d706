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
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rtpengine did not start:\n${output}`)), 5000)
    const check = () => {
      if (/Startup complete/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stderr!.on('data', check)
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`rtpengine exited with ${code}:\n${output}`))
    })
  })
  return { ngPort, child, log: () => output, stop: () => stopProcess(child) }
}
