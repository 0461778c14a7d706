/**
 * Processes the reliability suites start and stop themselves: a dedicated redis-server on
 * its own port (never the shared 6379) and the web app (bin/server.ts) as a separate
 * process, so faults and load hit a real server. Loopback only; every process is killed on
 * exit. Plain Node (type stripping): node builtins only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
// Ctrl-C or a kill: exit normally, so the handler above stops every child.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

function track(child: ChildProcess) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    await sleep(200)
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`)
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** PING over a raw socket: true when Redis answers +PONG. */
export function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(false)
    }, 1000)
    socket.on('data', (data) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.on('error', () => {
      clearTimeout(timer)
      resolve(false)
    })
    socket.write('PING\r\n')
  })
}

export type RedisProcess = { port: number; stop(): Promise<void>; start(): Promise<void> }

/** A throwaway redis-server (no persistence): stop() is an outage, start() a fresh, empty return. */
export async function startRedis(port?: number): Promise<RedisProcess> {
  const bound = port ?? (await freePort())
  const dir = mkdtempSync(join(tmpdir(), 'opbx-reliability-redis-'))
  let child: ChildProcess | null = null
  const redis: RedisProcess = {
    port: bound,
    async start() {
      child = track(
        spawn(
          'redis-server',
          ['--port', String(bound), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
          { cwd: dir, stdio: 'ignore' },
        ),
      )
      await waitFor(`redis-server :${bound}`, () => redisPing(bound), 10_000)
    },
    async stop() {
      if (child) await stop(child)
      child = null
    },
  }
  await redis.start()
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return redis
}

export type AppProcess = {
  url: string
  port: number
  pid: number
  output(): string
  stop(): Promise<void>
  kill(): Promise<void>
}

/**
 * The web app as its own process (what `npm start` runs), on a free port, with the given
 * environment on top of the caller's (database, Redis port, limits).
 */
export async function startApp(env: Record<string, string>): Promise<AppProcess> {
  const port = Number(env.PORT ?? (await freePort()))
  const child = track(
    spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'error', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`))),
  )
  exited.catch(() => undefined)
  await Promise.race([
    waitFor(
      'app /health',
      () => fetch(`${url}/health`).then((response) => response.status > 0),
      60_000,
    ),
    exited,
  ])
  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    stop: () => stop(child),
    kill: () => stop(child, 'SIGKILL'),
  }
}
