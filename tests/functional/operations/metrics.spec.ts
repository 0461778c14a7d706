import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'

/* Reads one sample's value from the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))
  return line ? Number(line.split(' ').at(-1)) : 0
}

test.group('Operations: /metrics and version', (group) => {
  isolate(group)

  test('counters move with traffic', async ({ client, assert }) => {
    const before = (await client.get('/metrics')).text()
    const { user } = await createTenant()
    await client.get('/health')
    await client.get('/health')
    await client.post('/api/v1/auth/login').json({ email: user.email, password: FACTORY_PASSWORD })
    await client.post('/api/v1/auth/login').json({ email: user.email, password: 'Wrong-pass-1' })
    const scrape = await client.get('/metrics')
    scrape.assertStatus(200)
    assert.include(scrape.header('content-type') ?? '', 'text/plain')
    const after = scrape.text()

    const health = { route: '/health', method: 'GET', status: '200' }
    const name = 'opbx_http_request_duration_seconds_count'
    assert.equal(sample(after, name, health) - sample(before, name, health), 2)
    for (const outcome of ['success', 'invalid_credentials']) {
      const labels = { via: 'api', outcome }
      const delta =
        sample(after, 'opbx_sign_in_attempts_total', labels) -
        sample(before, 'opbx_sign_in_attempts_total', labels)
      assert.equal(delta, 1, outcome)
    }
    assert.match(after, /^opbx_queue_jobs\{.*state="failed".*\} \d+/m)
    assert.match(after, /^nodejs_eventloop_lag_seconds/m)
    assert.match(after, /^process_resident_memory_bytes/m)
  })

  test('/health reports the version and the git commit', async ({ client, assert }) => {
    const body = (await client.get('/health')).body()
    assert.match(body.version, /^\d+\.\d+\.\d+$/)
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD']).toString().trim()
    assert.equal(body.commit, head)
  })
})
