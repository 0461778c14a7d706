/**
 * Processes of a whole PBX beyond the web app that reliability/lib/processes.ts starts: the
 * queue worker (`node ace queue:work`, which sends the mail and runs the jobs) and a
 * voip-edge with the http router against the app, wired the way bin/run_all.sh wires them.
 * Each is killed when the runner exits, whatever happens to the suite.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, waitFor } from './processes.ts'

const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

export type ChildHandle = {
  pid: number
  output(): string
  stop(): Promise<void>
}

function supervise(child: ChildProcess, keep = 200_000): ChildHandle {
  children.add(child)
  child.once('exit', () => children.delete(child))
  let output = ''
  const add = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-keep))
  child.stdout?.on('data', add)
  child.stderr?.on('data', add)
  return {
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** `node ace queue:work` on the given app environment; ready once it logs that it started. */
export async function startWorker(env: Record<string, string>): Promise<ChildHandle> {
  const child = spawn(process.execPath, ['ace', 'queue:work', '--concurrency=5'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const handle = supervise(child)
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`worker exited with ${code}:\n${handle.output()}`)),
    ),
  )
  exited.catch(() => undefined)
  await Promise.race([
    waitFor('queue worker', async () => handle.output().includes('worker started'), 60_000),
    exited,
  ])
  return handle
}

export type EdgeHandle = ChildHandle & { sipPort: number; controlPort: number; spoolDir: string }

/**
 * voip-edge (bin/voip_edge.ts) with the http router: credentials, routing and events all
 * go to the app at `appUrl`, signed with `secret`; CDRs through an on-disk spool.
 */
export async function startAppEdge(options: {
  appUrl: string
  secret: string
  sipPort: number
  controlPort: number
  rtpengineNg: string
  redisPort: number
  redisPrefix: string
  env?: Record<string, string>
}): Promise<EdgeHandle> {
  const spoolDir = mkdtempSync(join(tmpdir(), 'opbx-soak-spool-'))
  const child = spawn(process.execPath, ['bin/voip_edge.ts'], {
    cwd: join(ROOT, 'voip-edge'),
    env: {
      ...process.env,
      VOIP_EDGE_ROUTER: 'http',
      VOIP_EDGE_APP_BASE_URL: options.appUrl,
      VOIP_EDGE_SIGNING_SECRET: options.secret,
      VOIP_EDGE_SIP_PORT: String(options.sipPort),
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_CONTROL_PORT: String(options.controlPort),
      VOIP_EDGE_RTPENGINE_NG: options.rtpengineNg,
      VOIP_EDGE_REDIS_URL: `redis://127.0.0.1:${options.redisPort}`,
      VOIP_EDGE_REDIS_PREFIX: options.redisPrefix,
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_SESSION_UPDATES: 'true',
      VOIP_EDGE_CDR_SPOOL_DIR: spoolDir,
      VOIP_EDGE_DRAIN_TIMEOUT_MS: '2000',
      VOIP_EDGE_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const handle = supervise(child)
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`edge exited with ${code}:\n${handle.output()}`)),
    ),
  )
  exited.catch(() => undefined)
  await Promise.race([
    waitFor(
      'voip-edge control port',
      () =>
        fetch(`http://127.0.0.1:${options.controlPort}/health`).then(
          (response) => response.status > 0,
        ),
      30_000,
    ),
    exited,
  ])
  return {
    ...handle,
    sipPort: options.sipPort,
    controlPort: options.controlPort,
    spoolDir,
    async stop() {
      await handle.stop()
      rmSync(spoolDir, { recursive: true, force: true })
    },
  }
}

/** Resident set size of a process in bytes (VmRSS), or NaN once it is gone. */
export function rssOf(pid: number) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** Open file descriptors of a process (entries of /proc/<pid>/fd), or NaN once it is gone. */
export function openFdsOf(pid: number) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return Number.NaN
  }
}
