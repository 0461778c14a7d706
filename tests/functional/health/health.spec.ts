import { test } from '@japa/runner'

test.group('GET /health', () => {
  test('reports every component up with its latency', async ({ client, assert }) => {
    const response = await client.get('/health')
    response.assertStatus(200)
    const body = response.body()
    assert.equal(body.status, 'ok')
    assert.sameMembers(
      body.components.map((c: { name: string }) => c.name),
      ['database', 'redis', 'queue'],
    )
    for (const component of body.components) {
      assert.isTrue(component.ok)
      assert.isNumber(component.latencyMs)
    }
  })

  test('echoes a valid X-Request-Id and replaces an invalid one', async ({ client, assert }) => {
    const good = await client.get('/health').header('X-Request-Id', 'ticket-4821-abcdef')
    assert.equal(good.header('x-request-id'), 'ticket-4821-abcdef')
    const bad = await client.get('/health').header('X-Request-Id', 'bad id <script>')
    assert.match(bad.header('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
  })
})
