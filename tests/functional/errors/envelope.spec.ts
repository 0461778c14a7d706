import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

function assertEnvelope(assert: any, body: any, code: string) {
  assert.properties(body, ['error'])
  assert.equal(body.error.code, code)
  assert.isString(body.error.message)
  assert.isString(body.error.requestId)
  assert.notProperty(body.error, 'stack')
  assert.notInclude(JSON.stringify(body), 'node_modules')
  assert.notInclude(JSON.stringify(body), '    at ')
}

test.group('API error envelope', (group) => {
  isolate(group)

  test('unknown route answers 404 in the envelope', async ({ client, assert }) => {
    const response = await client.get('/api/v1/nope')
    response.assertStatus(404)
    assertEnvelope(assert, response.body(), 'E_ROUTE_NOT_FOUND')
  })

  test('a known path with the wrong verb answers 405 with Allow', async ({ client, assert }) => {
    const response = await client.patch('/api/v1/auth/login').json({})
    response.assertStatus(405)
    assertEnvelope(assert, response.body(), 'E_METHOD_NOT_ALLOWED')
    assert.include(response.header('allow') ?? '', 'POST')
  })

  test('malformed JSON answers 400 without echoing the body', async ({ assert }) => {
    // Raw fetch: the test client would re-encode a string body instead of sending it as is.
    const response = await fetch(`http://127.0.0.1:${env.get('PORT')}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "a@b.c", "password": ',
    })
    assert.equal(response.status, 400)
    const text = await response.text()
    assertEnvelope(assert, JSON.parse(text), 'E_MALFORMED_JSON')
    assert.notInclude(text, '"password": ')
  })

  test('wrong types answer 422 with one entry per field', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const response = await client
      .post('/api/v1/users')
      .bearerToken(token)
      .json({ name: 42, email: 'not-an-email', password: ['x'], role: 'emperor' })
    response.assertStatus(422)
    const body = response.body()
    assertEnvelope(assert, body, 'E_VALIDATION_ERROR')
    const fields = body.error.details.fields.map((f: { field: string }) => f.field)
    assert.includeMembers(fields, ['name', 'email', 'password', 'role'])
    for (const f of body.error.details.fields) assert.isString(f.message)
  })

  test('missing token answers 401 in the envelope', async ({ client, assert }) => {
    const response = await client.get('/api/v1/users')
    response.assertStatus(401)
    assertEnvelope(assert, response.body(), 'E_UNAUTHENTICATED')
  })

  test('an id outside the integer range is a plain 404, not a database error', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const response = await client.get('/api/v1/users/99999999999999').bearerToken(token)
    response.assertStatus(404)
    assertEnvelope(assert, response.body(), 'E_NOT_FOUND')
  })

  test('an unexpected exception answers 500 without message or stack', async ({ assert }) => {
    const { default: HttpExceptionHandler } = await import('#exceptions/handler')
    const ctx = await testUtils.createHttpContext()
    ctx.request.request.headers.accept = 'application/json'
    ctx.requestId = 'req-test-500-0001'
    await new HttpExceptionHandler().handle(
      new Error('connection to 10.0.0.5 failed: password=x'),
      ctx,
    )
    assert.equal(ctx.response.getStatus(), 500)
    const body = ctx.response.getBody() as any
    assertEnvelope(assert, body, 'E_INTERNAL_SERVER_ERROR')
    assert.equal(body.error.requestId, 'req-test-500-0001')
    assert.notInclude(JSON.stringify(body), '10.0.0.5')
  })
})
