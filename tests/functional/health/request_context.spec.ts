import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import RequestIdMiddleware from '#middleware/request_id_middleware'

test.group('Request id and CORS', () => {
  test('every log line of a request carries its requestId', async ({ assert }) => {
    const ctx = await testUtils.createHttpContext()
    ctx.request.request.headers['x-request-id'] = 'support-ticket-0042'
    await new RequestIdMiddleware().handle(ctx, async () => {})
    assert.equal(ctx.logger.bindings().requestId, 'support-ticket-0042')
    assert.equal(ctx.response.getHeader('x-request-id'), 'support-ticket-0042')
  })

  test('a browser origin that is not configured gets no CORS grant', async ({ client, assert }) => {
    const response = await client.get('/health').header('origin', 'https://evil.example')
    response.assertStatus(200)
    assert.isUndefined(response.header('access-control-allow-origin'))
    const preflight = await client
      .options('/api/v1/users')
      .header('origin', 'https://evil.example')
      .header('access-control-request-method', 'DELETE')
    assert.isUndefined(preflight.header('access-control-allow-origin'))
  })
})
