import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import {
  CDR,
  SESSION_UPDATE,
  cdr,
  sessionUpdate,
  webhookTenant,
  type WebhookTenant,
} from '#tests/functional/webhooks/support'
import { startApp, startRedis, type AppProcess } from '../../reliability/lib/processes.ts'

/*
 * R15 (CI size): the web app runs as its own process on a dedicated redis-server (another
 * port, never the shared one). Redis is stopped, webhooks keep coming (new calls and
 * retries of delivered ones), then Redis comes back empty (its idempotency keys are lost).
 * Documented behaviour (docs/webhooks.md): without Redis, webhooks are handled without
 * dedupe and the database unique indexes keep the data single. Pass: during the outage
 * every answer is 200 or 503 within the edge's timeout (never a 500 or a hang), after recovery every redelivery is
 * accepted, and every call has exactly one call row and one CDR with the right end state.
 */

const OUTAGE_REQUESTS_TIMEOUT_MS = 15_000

function events(domain: string, token: string) {
  return [
    { path: SESSION_UPDATE, body: sessionUpdate(domain, token, { status: 'processing' }) },
    { path: SESSION_UPDATE, body: sessionUpdate(domain, token, { status: 'ringing' }) },
    {
      path: SESSION_UPDATE,
      body: sessionUpdate(domain, token, { status: 'connected', callAnswerTime: 1767089386000 }),
    },
    {
      path: SESSION_UPDATE,
      body: sessionUpdate(domain, token, {
        status: 'connected',
        callAnswerTime: 1767089386000,
        callEndTime: 1767089441000,
      }),
    },
    { path: CDR, body: cdr(domain, token) },
  ]
}

/* Sends one event as the edge does (its own request id per delivery attempt). */
async function send(app: AppProcess, t: WebhookTenant, event: { path: string; body: unknown }) {
  const started = performance.now()
  try {
    const response = await fetch(`${app.url}${event.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${t.secrets[0]}`,
        'x-edge-request-id': randomUUID(),
      },
      body: JSON.stringify(event.body),
      signal: AbortSignal.timeout(OUTAGE_REQUESTS_TIMEOUT_MS),
    })
    await response.text()
    return {
      status: response.status,
      ms: performance.now() - started,
      retryAfter: response.headers.get('retry-after'),
    }
  } catch (error) {
    return { status: 0, ms: performance.now() - started, error: String(error) }
  }
}

async function callRows(organizationId: number, token: string) {
  const logs = await db
    .from('call_logs')
    .where('organization_id', organizationId)
    .where('call_id', token)
  const cdrs = await db
    .from('call_detail_records')
    .where('organization_id', organizationId)
    .where('session_token', token)
  return { logs: logs.length, cdrs: cdrs.length, status: logs[0]?.status }
}

test.group('Reliability R15: Redis outage (dedicated redis-server)', (group) => {
  let tenant: WebhookTenant | undefined
  group.each.teardown(async () => {
    if (!tenant) return
    const id = tenant.organization.id
    for (const table of ['call_detail_records', 'call_logs', 'webhook_secrets'])
      await db.from(table).where('organization_id', id).delete()
    await db.from('organization_settings').where('organization_id', id).delete()
    await db.from('users').where('organization_id', id).delete()
    await db.from('organizations').where('id', id).delete()
  })

  test('webhooks degrade to 200/503 without Redis and nothing is processed twice after', async ({
    assert,
    cleanup,
  }) => {
    const redis = await startRedis()
    cleanup(() => redis.stop())
    const booting = performance.now()
    const app = await startApp({
      REDIS_PORT: String(redis.port),
      REDIS_DB: '0',
      DB_DATABASE: env.get('DB_DATABASE'),
      QUEUE_PREFIX: `opbx-outage-${process.pid}`,
      WEBHOOK_RATE_LIMIT: '100000',
    })
    cleanup(() => app.stop())
    const bootSeconds = (performance.now() - booting) / 1000
    tenant = await webhookTenant()
    const t = tenant
    const calls = ['before', 'during', 'after'].map((phase) => `outage-${phase}-${randomUUID()}`)
    const [before, during, after] = calls.map((token) => events(t.domain, token))

    const phaseA = []
    for (const event of before) phaseA.push(await send(app, t, event))

    /*
     * Redeliveries streaming while Redis stops: the ones in flight at that moment have
     * already passed the outage check and issue their commands into a vanished connection.
     */
    let streaming = true
    const inFlight: Promise<Awaited<ReturnType<typeof send>>>[] = []
    const streamer = (async () => {
      while (streaming) {
        inFlight.push(send(app, t, before[1]))
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await redis.stop()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    streaming = false
    await streamer
    const phaseB = await Promise.all(inFlight)
    for (const event of [...during, before[1], before[4]]) phaseB.push(await send(app, t, event))
    const health = await fetch(`${app.url}/health`)
      .then((r) => r.status)
      .catch(() => 0)

    await redis.start()
    // The app reconnects on its own; it has recovered when a webhook is answered 200 again.
    const recoveryStarted = performance.now()
    let recovered = false
    while (!recovered && performance.now() - recoveryStarted < 30_000) {
      recovered = (await send(app, t, before[0])).status === 200
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const recoverySeconds = (performance.now() - recoveryStarted) / 1000
    const phaseC = []
    for (const event of [...before, ...during, ...after, ...during])
      phaseC.push(await send(app, t, event))

    const count = (results: { status: number }[]) =>
      results.reduce<Record<number, number>>(
        (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
        {},
      )
    const slowest = Math.max(...phaseB.map((r) => r.ms))
    console.log(
      `Redis outage (app booted in ${bootSeconds.toFixed(1)} s): before ${JSON.stringify(count(phaseA))}, during ${JSON.stringify(count(phaseB))} ` +
        `(slowest ${slowest.toFixed(0)} ms, /health ${health}), recovered in ${recoverySeconds.toFixed(1)} s, ` +
        `after ${JSON.stringify(count(phaseC))}`,
    )
    assert.deepEqual(count(phaseA), { 200: phaseA.length })
    for (const result of phaseB) {
      const detail = `during the outage: ${JSON.stringify(result)}\n${app.output().slice(-3000)}`
      assert.include([200, 503], result.status, detail)
      // Within the edge's own timeout for a session update (5 s): a later answer is lost.
      assert.isBelow(result.ms, 5000, detail)
      if (result.status === 503) assert.isNotNull(result.retryAfter, detail)
    }
    assert.isTrue(recovered, 'webhooks are accepted again within 30 s of Redis returning')
    assert.deepEqual(count(phaseC), { 200: phaseC.length })
    for (const token of calls) {
      assert.deepEqual(
        await callRows(t.organization.id, token),
        {
          logs: 1,
          cdrs: 1,
          status: 'completed',
        },
        token,
      )
    }
  }).timeout(180_000)
})
