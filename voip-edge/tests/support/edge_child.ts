/**
 * bin/voip_edge.ts as a child process on a given SIP port and Redis prefix, so that a test
 * can SIGKILL it and start its successor where phones and Redis already know the edge
 * (R18 edge restart). UDP only: a successor binds the same port the moment the old one died.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { track, stopProcess } from './processes.ts'
import { optionsOk } from '../reliability/support/sip_fuzzer.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface EdgeChild {
  child: ChildProcess
  pid: number
  port: number
  output(): string
  /** SIGKILL: no drain, no cleanup, like a crash or the OOM killer. */
  crash(): Promise<void>
  /** SIGTERM (drain, then stop), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

export async function startEdgeChild(options: {
  port: number
  prefix: string
  env: Record<string, string>
  startTimeoutMs?: number
}): Promise<EdgeChild> {
  const child = track(
    spawn(process.execPath, ['bin/voip_edge.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        VOIP_EDGE_SIP_PORT: String(options.port),
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_REDIS_PREFIX: options.prefix,
        VOIP_EDGE_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000)
  // The log level hides the start line: the edge is up once it answers OPTIONS.
  while (!(await optionsOk(options.port, `child-${child.pid}`, 1))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopProcess(child)
      throw new Error(`edge did not start on ${options.port}:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    child,
    pid: child.pid!,
    port: options.port,
    output: () => output,
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    stop: (graceMs = 10_000) => stopProcess(child, graceMs),
  }
}
