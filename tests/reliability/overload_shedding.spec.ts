import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, tokenFor, type Tenant } from '#tests/helpers'
import { startApp, waitFor, type AppProcess } from '../../reliability/lib/processes.ts'

/*
 * The overload guard in a real server process (bin/server.ts) started with a cap of 3
 * requests in flight. The slow requests are real ones: the test locks the access-token
 * table, so every authenticated request waits inside the app on PostgreSQL, exactly like
 * requests piling up behind a slow database. Past the cap, new API requests must be refused
 * at once with 503 E_OVERLOADED + Retry-After, while /health and /metrics still answer and
 * the admitted requests finish normally once the lock goes.
 */

const CAP = 3

async function get(app: AppProcess, path: string, token?: string) {
  const response = await fetch(`${app.url}${path}`, {
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    signal: AbortSignal.timeout(60_000),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text }
}

test.group('Overload guard (server process)', (group) => {
  let app: AppProcess | null = null
  let tenant: Tenant

  group.setup(async () => {
    // Committed (no global transaction): the server process must see the user and token.
    tenant = await createTenant()
  })
  group.teardown(async () => {
    await app?.stop()
    await db.from('auth_access_tokens').where('tokenable_id', tenant.owner.id).delete()
  })

  test('sheds past the in-flight cap with 503 + Retry-After; health and metrics still answer', async ({
    assert,
  }) => {
    const token = await tokenFor(tenant.owner)
    app = await startApp({
      OVERLOAD_MAX_IN_FLIGHT: String(CAP),
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
      OVERLOAD_RETRY_AFTER_SECONDS: '3',
    })
    const before = await get(app, '/api/v1/auth/me', token)
    assert.equal(before.status, 200, before.text)

    const trx = await db.transaction()
    let slow: Promise<Awaited<ReturnType<typeof get>>>[] = []
    try {
      await trx.rawQuery('LOCK TABLE auth_access_tokens IN ACCESS EXCLUSIVE MODE')
      slow = Array.from({ length: CAP }, () => get(app!, '/api/v1/auth/me', token))
      // The cap is full once CAP requests of the app wait on our lock.
      await waitFor(
        `${CAP} requests waiting on the lock`,
        async () => {
          const result = await db.rawQuery(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'
               AND query ILIKE '%auth_access_tokens%'`,
          )
          return result.rows[0].n >= CAP
        },
        60_000,
      )

      const shed = await get(app, '/api/v1/auth/me', token)
      assert.equal(shed.status, 503, shed.text)
      assert.equal(shed.headers.get('retry-after'), '3')
      const body = JSON.parse(shed.text)
      assert.equal(body.error.code, 'E_OVERLOADED')
      assert.isString(body.error.requestId)
      assert.equal(body.error.requestId, shed.headers.get('x-request-id'))

      // Unauthenticated and page routes are shed too: the cap is for the whole process.
      assert.equal((await get(app, '/api/v1/openapi.json')).status, 503)

      const health = await get(app, '/health')
      assert.equal(health.status, 200, health.text)
      const metrics = await get(app, '/metrics')
      assert.equal(metrics.status, 200)
      assert.match(
        metrics.text,
        /opbx_overload_shed_total\{[^}]*reason="in_flight"[^}]*class="normal"[^}]*\} [1-9]/,
      )
      assert.match(metrics.text, new RegExp(`opbx_http_requests_in_flight\\{[^}]*\\} ${CAP}\\b`))
    } finally {
      await trx.rollback()
    }

    // The admitted requests were only delayed, never refused.
    const finished = await Promise.all(slow)
    assert.deepEqual(
      finished.map((r) => r.status),
      Array(CAP).fill(200),
    )
    // And the process admits work again as soon as the cap frees up.
    const after = await get(app, '/api/v1/auth/me', token)
    assert.equal(after.status, 200, after.text)
  }).timeout(180_000)
})
