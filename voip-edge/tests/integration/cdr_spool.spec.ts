import { test } from '@japa/runner'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { CdrSpool } from '../../src/events/cdr_spool.ts'
import { buildCdr } from '../../src/events/cdr.ts'

const SECRET = 'cdr-test-secret-0123456789abcdefghij'

/** An app stand-in whose answers the test scripts (e.g. 503, 503, 200). */
async function app(statuses: number[]): Promise<{
  url: string
  received: Array<{ id: string; body: string }>
  close(): Promise<void>
  server: Server
}> {
  const received: Array<{ id: string; body: string }> = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({ id: String(request.headers['x-edge-request-id']), body })
      response.writeHead(statuses.shift() ?? 200)
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}/api/webhooks/cloudonix/cdr`,
    received,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const sample = (callId: string) =>
  buildCdr({
    callId,
    organizationId: 'org',
    domain: 'acme.pbx.test',
    from: 'alice',
    to: 'bob',
    startedAt: 1_000,
    answeredAt: 3_000,
    endedAt: 63_000,
    endReason: 'completed',
    edgeAddress: '127.0.0.1',
  })

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test.group('CDR spool (M5)', (group) => {
  let dir: string
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'voip-edge-spool-'))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('builds the Cloudonix CDR fields', ({ assert }) => {
    const cdr = sample('c1@x')
    assert.equal(cdr.disposition, 'CONNECTED')
    assert.equal(cdr.duration, 62)
    assert.equal(cdr.billsec, 60)
    assert.equal(cdr.timestamp, 63)
    assert.equal(cdr.session.token, 'c1@x')
    assert.equal(cdr.session.status, 'connected')
  })

  test('retries with backoff until the app acknowledges, with one request id, then deletes the file', async ({
    assert,
  }) => {
    const server = await app([503, 500, 200])
    const spool = new CdrSpool({
      dir,
      url: server.url,
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      initialBackoffMs: 20,
    })
    try {
      spool.start()
      spool.enqueue(sample('retry@x'))
      await until(() => spool.delivered === 1)
      assert.lengthOf(server.received, 3)
      assert.lengthOf(
        new Set(server.received.map((r) => r.id)),
        1,
        'the same request id on every attempt',
      )
      assert.deepEqual(spool.pending(), [])
    } finally {
      spool.stop()
      await server.close()
    }
  })

  test('an app outage loses nothing: the CDR waits on disk and a restarted spool delivers it once', async ({
    assert,
  }) => {
    const down = await app([])
    const downUrl = down.url
    await down.close()
    const first = new CdrSpool({
      dir,
      url: downUrl,
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      initialBackoffMs: 20,
    })
    first.start()
    first.enqueue(sample('outage@x'))
    await new Promise((resolve) => setTimeout(resolve, 150))
    first.stop()
    assert.lengthOf(first.pending(), 1, 'still on disk after failed attempts')

    const server = await app([])
    const second = new CdrSpool({
      dir,
      url: server.url,
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      initialBackoffMs: 20,
    })
    try {
      second.start()
      await until(() => second.delivered === 1)
      assert.lengthOf(server.received, 1)
      assert.equal(JSON.parse(server.received[0].body).call_id, 'outage@x')
      assert.deepEqual(second.pending(), [])
    } finally {
      second.stop()
      await server.close()
    }
  })

  test('a backlog left by an outage reaches the restarted app at most maxInFlight at a time', async ({
    assert,
  }) => {
    let open = 0
    let peak = 0
    let answered = 0
    const server = createServer((request, response) => {
      open++
      peak = Math.max(peak, open)
      request.resume()
      // A slow app: were the backlog sent all at once, every request would overlap.
      setTimeout(() => {
        open--
        answered++
        response.writeHead(200)
        response.end()
      }, 30)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/cdr`
    const backlog = new CdrSpool({
      dir,
      url: 'http://127.0.0.1:9/cdr',
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
    })
    backlog.stop()
    for (let i = 0; i < 20; i++) backlog.enqueue(sample(`backlog-${i}@x`))
    const spool = new CdrSpool({
      dir,
      url,
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      maxInFlight: 3,
    })
    try {
      spool.start()
      await until(() => spool.delivered === 20, 10_000)
      assert.equal(answered, 20)
      assert.equal(peak, 3)
      assert.deepEqual(spool.pending(), [])
    } finally {
      spool.stop()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('a CDR older than the retry window is moved to dead/ for an operator', async ({
    assert,
  }) => {
    const server = await app([503])
    const spool = new CdrSpool({
      dir,
      url: server.url,
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      initialBackoffMs: 20,
      maxAgeMs: 0,
    })
    try {
      spool.start()
      spool.enqueue(sample('old@x'))
      await until(() => readdirSync(join(dir, 'dead')).length === 1)
      assert.deepEqual(spool.pending(), [])
    } finally {
      spool.stop()
      await server.close()
    }
  })
})
