/**
 * bin/voip_edge.ts as a real child process (its own heap, RSS and crash behaviour), with
 * the demo tenants, the direct router, a unique Redis prefix and a free loopback port for
 * UDP and TCP. No rtpengine: INVITEs that get as far as media are answered 480.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { track, stopProcess, freeUdpPort } from '../../support/processes.ts'
import { uniquePrefix, deleteKeys } from '../../support/edge_harness.ts'
import { optionsOk } from './sip_fuzzer.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export type EdgeProcess = {
  child: ChildProcess
  pid: number
  udpPort: number
  tcpPort: number
  output(): string
  stop(): Promise<number | null>
}

export async function startEdgeProcess(env: Record<string, string> = {}): Promise<EdgeProcess> {
  let lastError: unknown
  // A port free for UDP may be taken for TCP; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start(env)
    } catch (error) {
      lastError = error
    }
  }
  throw lastError
}

async function start(env: Record<string, string>): Promise<EdgeProcess> {
  const port = await freeUdpPort()
  const prefix = uniquePrefix()
  const child = track(
    spawn(process.execPath, ['bin/voip_edge.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        VOIP_EDGE_SIGNING_SECRET: 'reliability-test-secret-0123456789abcdef',
        VOIP_EDGE_SIP_PORT: String(port),
        VOIP_EDGE_SIP_TRANSPORTS: 'udp,tcp',
        VOIP_EDGE_REDIS_PREFIX: prefix,
        VOIP_EDGE_CREDENTIALS_FILE: 'demo/tenants.json',
        VOIP_EDGE_ROUTER: 'direct',
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_DRAIN_TIMEOUT_MS: '1000',
        VOIP_EDGE_LOG_LEVEL: 'error',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${await freeUdpPort()}`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-200_000)))
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-200_000)))
  let onExit: ((code: number | null) => void) | undefined
  let poll: NodeJS.Timeout | undefined
  let timer: NodeJS.Timeout | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`edge did not start:\n${output}`)), 20_000)
      // At log level "error" no start line is printed: poll with OPTIONS until one is answered.
      poll = setInterval(async () => {
        if (await optionsOk(port, 'start', 1)) resolve()
      }, 300)
      onExit = (code) => reject(new Error(`edge exited with ${code}:\n${output}`))
      child.once('exit', onExit)
    })
  } catch (error) {
    await stopProcess(child)
    throw error
  } finally {
    clearInterval(poll)
    clearTimeout(timer)
    if (onExit) child.off('exit', onExit)
  }
  return {
    child,
    pid: child.pid!,
    udpPort: port,
    tcpPort: port,
    output: () => output,
    async stop() {
      const code = new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode)
        else child.once('exit', (c) => resolve(c))
      })
      await stopProcess(child, 5000)
      const redis = new Redis({ maxRetriesPerRequest: 2 })
      await deleteKeys(redis, prefix)
      redis.disconnect()
      return code
    },
  }
}
