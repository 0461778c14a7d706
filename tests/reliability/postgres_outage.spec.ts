import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { CDR, cdr, webhookTenant, type WebhookTenant } from '#tests/functional/webhooks/support'
import type Extension from '#models/extension'
import {
  startApp,
  startRedis,
  type AppProcess,
  type RedisProcess,
} from '../../reliability/lib/processes.ts'
import {
  startPostgresProxy,
  type CutMode,
  type PostgresProxy,
} from '../../reliability/lib/postgres_proxy.ts'

/*
 * R16 (CI size): the web app runs as its own process whose only way to PostgreSQL is a TCP
 * proxy this test cuts (the shared PostgreSQL service is never touched). Multi-row writes
 * (a ring group with three members and its audit row) and CDRs are in flight when the
 * proxy drops every connection; more arrive while it refuses or black-holes new ones.
 * Pass: every answer is the write's success or 503 E_DATABASE_UNAVAILABLE with Retry-After
 * (never a 500, never a hang), /health names the database, no ring group exists without all
 * its members and its audit row, and after the proxy is restored the app serves writes
 * again and every CDR redelivered the way the edge spool does (same request id) is stored
 * exactly once.
 */

const REQUEST_TIMEOUT_MS = 15_000
const MEMBERS = 3

type Answer = { status: number; code?: string; retryAfter: string | null; error?: string }

async function call(url: string, init: RequestInit): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    const text = await response.text()
    let code: string | undefined
    try {
      code = JSON.parse(text)?.error?.code
    } catch {}
    return { status: response.status, code, retryAfter: response.headers.get('retry-after') }
  } catch (error) {
    return { status: 0, retryAfter: null, error: String(error) }
  }
}

test.group('Reliability R16: PostgreSQL connection loss (proxy cut)', (group) => {
  // One app process for both cuts: booting it is most of this test's time.
  let proxy: PostgresProxy
  let redis: RedisProcess
  let app: AppProcess
  group.setup(async () => {
    proxy = await startPostgresProxy({ targetPort: env.get('DB_PORT') })
    redis = await startRedis()
    app = await startApp({
      DB_PORT: String(proxy.port),
      DB_DATABASE: env.get('DB_DATABASE'),
      REDIS_PORT: String(redis.port),
      REDIS_DB: '0',
      QUEUE_PREFIX: `opbx-pg-outage-${process.pid}`,
      WEBHOOK_RATE_LIMIT: '100000',
      // The overload guard's own 503s (a busy CI box) would blur what this test counts.
      OVERLOAD_MAX_IN_FLIGHT: '0',
      OVERLOAD_TARGET_LATENCY_MS: '0',
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    })
    return async () => {
      await app.stop()
      await redis.stop()
      await proxy.close()
    }
  })

  let tenant: WebhookTenant | undefined
  group.each.teardown(async () => {
    proxy.restore()
    if (!tenant) return
    const id = tenant.organization.id
    // Everything else cascades from the organization; users and their audit rows do not.
    await db.from('audit_logs').where('organization_id', id).delete()
    await db.from('users').where('organization_id', id).delete()
    await db.from('organizations').where('id', id).delete()
    tenant = undefined
  })

  for (const mode of ['refuse', 'blackhole'] as CutMode[]) {
    test(`a cut (${mode}) answers 503 + Retry-After, writes nothing partial and recovers`, async ({
      assert,
    }) => {
      const turnedAwayBefore = proxy.turnedAway
      tenant = await webhookTenant()
      const t = tenant
      const extensions: Extension[] = []
      for (let i = 0; i < MEMBERS; i++)
        extensions.push(await makeExtension(t.organization, { number: String(400 + i) }))
      const token = await tokenFor(t.owner)
      const createGroup = () =>
        call(`${app.url}/api/v1/ring-groups`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({
            name: `outage ${randomUUID()}`,
            members: extensions.map((e, i) => ({ extensionId: e.id, priority: i + 1 })),
          }),
        })
      // A CDR as the edge spool sends it: one request id, kept across its retries.
      const cdrs = new Map<string, string>()
      const sendCdr = (callToken: string) => {
        if (!cdrs.has(callToken)) cdrs.set(callToken, randomUUID())
        return call(`${app.url}${CDR}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${t.secrets[0]}`,
            'content-type': 'application/json',
            'x-edge-request-id': cdrs.get(callToken)!,
          },
          body: JSON.stringify(cdr(t.domain, callToken)),
        })
      }
      const newCall = () => `pg-outage-${randomUUID()}`

      const before = [await createGroup(), await sendCdr(newCall())]
      assert.deepEqual(
        before.map((a) => a.status),
        [201, 200],
        app.output().slice(-2000),
      )

      // Writes in flight when every connection is dropped, then more during the outage.
      const inFlight = Promise.all([
        ...Array.from({ length: 12 }, () => createGroup()),
        ...Array.from({ length: 12 }, () => sendCdr(newCall())),
      ])
      await new Promise((resolve) => setTimeout(resolve, 20))
      proxy.cut(mode)
      const cutAnswers = await inFlight
      const during: Answer[] = []
      for (let i = 0; i < 2; i++) during.push(await createGroup(), await sendCdr(newCall()))
      const health = await fetch(`${app.url}/health`).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { failing?: string[] },
      }))

      proxy.restore()
      const restored = performance.now()
      let recovered: Answer | null = null
      while (performance.now() - restored < 30_000) {
        const answer = await createGroup()
        if (answer.status === 201) {
          recovered = answer
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      const recoverySeconds = (performance.now() - restored) / 1000
      // The spool's redelivery: every CDR again, with its request id.
      const redelivered = []
      for (const callToken of cdrs.keys()) redelivered.push(await sendCdr(callToken))

      const tally = (answers: Answer[]) =>
        answers.reduce<Record<string, number>>((acc, a) => {
          const key = `${a.status}${a.code ? ' ' + a.code : ''}`
          return { ...acc, [key]: (acc[key] ?? 0) + 1 }
        }, {})
      console.log(
        `PostgreSQL cut (${mode}): in flight ${JSON.stringify(tally(cutAnswers))}, during ${JSON.stringify(tally(during))}, ` +
          `/health ${health.status} ${JSON.stringify(health.body.failing)}, recovered in ${recoverySeconds.toFixed(1)} s, ` +
          `redelivered ${JSON.stringify(tally(redelivered))}; proxy turned away ${proxy.turnedAway - turnedAwayBefore}`,
      )

      const detail = () => app.output().slice(-3000)
      for (const answer of [...cutAnswers, ...during]) {
        assert.include([200, 201, 503], answer.status, `${JSON.stringify(answer)}\n${detail()}`)
        if (answer.status === 503) {
          assert.equal(answer.code, 'E_DATABASE_UNAVAILABLE', detail())
          assert.equal(answer.retryAfter, '5')
        }
      }
      assert.deepEqual(
        during.map((a) => a.status),
        during.map(() => 503),
        'nothing reaches the database while it is cut',
      )
      assert.isAbove(
        proxy.turnedAway,
        turnedAwayBefore,
        'the app did try the database during the cut',
      )
      assert.equal(health.status, 503)
      assert.include(health.body.failing ?? [], 'database')
      assert.isNotNull(recovered, 'writes succeed again within 30 s of the restore')
      assert.deepEqual(tally(redelivered), { 200: cdrs.size })

      // No partial writes: every group has all its members and its audit row.
      const groups = await db
        .from('ring_groups as g')
        .where('g.organization_id', t.organization.id)
        .select('g.id')
        .select(
          db.raw(
            '(select count(*) from ring_group_members m where m.ring_group_id = g.id) as members',
          ),
          db.raw(
            `(select count(*) from audit_logs a where a.organization_id = g.organization_id
              and a.action = 'ring_group.created' and a.subject_id = g.id::text) as audits`,
          ),
        )
      const created = [...before, ...cutAnswers, ...during, recovered!].filter(
        (a) => a.status === 201,
      ).length
      assert.isAtLeast(groups.length, created, 'every 201 is stored')
      for (const g of groups) {
        assert.deepEqual(
          { members: Number(g.members), audits: Number(g.audits) },
          { members: MEMBERS, audits: 1 },
          `ring group ${g.id}`,
        )
      }
      for (const callToken of cdrs.keys()) {
        const [stored] = await db
          .from('call_detail_records')
          .where('organization_id', t.organization.id)
          .where('session_token', callToken)
          .count('* as n')
        const [logs] = await db
          .from('call_logs')
          .where('organization_id', t.organization.id)
          .where('call_id', callToken)
          .count('* as n')
        assert.deepEqual([Number(stored.n), Number(logs.n)], [1, 1], callToken)
      }
    }).timeout(120_000)
  }
})
