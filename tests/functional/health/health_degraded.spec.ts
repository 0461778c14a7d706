import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'

/* A port nothing listens on: bind one, read its number, release it. */
async function closedPort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitForHealth(url: string, child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output.join('')}`)
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) })
    } catch {
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  throw new Error(`server did not answer in time:\n${output.join('')}`)
}

test.group('GET /health when a dependency is down', () => {
  test('answers 503 naming Redis and the queue while the database stays ok', async ({
    assert,
    cleanup,
  }) => {
    const [redisPort, httpPort] = [await closedPort(), await closedPort()]
    // A real second web process whose Redis points at a closed port; the shared Redis
    // server used by everything else is left alone.
    const output: string[] = []
    const child = spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: app.makePath(),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(httpPort),
        HOST: '127.0.0.1',
        REDIS_PORT: String(redisPort),
        LOG_LEVEL: 'fatal',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.on('data', (d) => output.push(String(d)))
    child.stderr!.on('data', (d) => output.push(String(d)))
    cleanup(() => {
      child.kill('SIGKILL')
    })

    const response = await waitForHealth(`http://127.0.0.1:${httpPort}/health`, child, output)
    assert.equal(response.status, 503)
    const body = (await response.json()) as {
      status: string
      failing: string[]
      components: { name: string; ok: boolean; error?: string }[]
    }
    assert.equal(body.status, 'degraded')
    assert.sameMembers(body.failing, ['redis', 'queue'])
    const database = body.components.find((c) => c.name === 'database')!
    assert.isTrue(database.ok)
    const redis = body.components.find((c) => c.name === 'redis')!
    assert.isFalse(redis.ok)
    assert.isString(redis.error)
  }).timeout(60_000)
})
