/**
 * Drives tests/reliability/support/fenced_writer.ts as a child process: its JSON-line
 * events in order, commands on stdin, SIGSTOP/SIGCONT. Plain relative imports only: the
 * reliability runner (plain node) uses it too.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./fenced_writer.ts', import.meta.url))

export type WriterEvent = {
  pid: number
  event: 'ready' | 'locked' | 'written' | 'rejected' | 'error'
  token?: number
  status?: number
  code?: string
  message?: string
}

export type FencedWriter = {
  pid: number
  /** The next event; rejects if the process exits or says nothing for `timeoutMs`. */
  next(timeoutMs?: number): Promise<WriterEvent>
  send(line: string): void
  freeze(): void
  thaw(): void
  /** Asks it to exit; killed if it does not within a few seconds. */
  close(): Promise<void>
}

export async function startFencedWriter(
  env: Record<string, string | undefined>,
  group: { id: number; organizationId: number },
  ttlMs: number,
): Promise<FencedWriter> {
  const child = spawn(process.execPath, ['--import', '@poppinss/ts-exec', SCRIPT], {
    cwd: ROOT,
    env: {
      ...env,
      FENCE_ORGANIZATION_ID: String(group.organizationId),
      FENCE_GROUP_ID: String(group.id),
      FENCE_TTL_MS: String(ttlMs),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const events: WriterEvent[] = []
  const waiters: { resolve: (e: WriterEvent) => void; reject: (e: Error) => void }[] = []
  let stderr = ''
  let exited: Error | undefined
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return
    const event = JSON.parse(line) as WriterEvent
    const waiter = waiters.shift()
    if (waiter) waiter.resolve(event)
    else events.push(event)
  })
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = new Error(`fenced writer exited (${code ?? signal}): ${stderr}`)
      for (const waiter of waiters.splice(0)) waiter.reject(exited)
      resolve()
    })
  })

  const writer: FencedWriter = {
    pid: child.pid!,
    next(timeoutMs = 30_000) {
      const queued = events.shift()
      if (queued) return Promise.resolve(queued)
      if (exited) return Promise.reject(exited)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = waiters.indexOf(waiter)
          if (index !== -1) waiters.splice(index, 1)
          reject(new Error(`fenced writer ${child.pid}: no event within ${timeoutMs} ms`))
        }, timeoutMs)
        const waiter = {
          resolve: (event: WriterEvent) => {
            clearTimeout(timer)
            resolve(event)
          },
          reject: (error: Error) => {
            clearTimeout(timer)
            reject(error)
          },
        }
        waiters.push(waiter)
      })
    },
    send(line) {
      child.stdin.write(`${line}\n`)
    },
    freeze() {
      child.kill('SIGSTOP')
    },
    thaw() {
      child.kill('SIGCONT')
    },
    async close() {
      if (exited) return
      child.kill('SIGCONT')
      child.stdin.end('exit\n')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exit
      clearTimeout(timer)
    },
  }
  try {
    const ready = await writer.next(60_000)
    if (ready.event !== 'ready') throw new Error(`fenced writer: ${JSON.stringify(ready)}`)
  } catch (error) {
    child.kill('SIGKILL')
    await exit
    throw error
  }
  return writer
}
