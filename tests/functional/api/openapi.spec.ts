import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'

/* Every /api/v1 route, as "METHOD /path/{param}" in OpenAPI's notation. */
function apiRoutes() {
  const routes = router.toJSON()
  return Object.values(routes)
    .flat()
    .filter((route) => route.pattern.startsWith('/api/v1/'))
    .flatMap((route) =>
      route.methods
        .filter((m) => m !== 'HEAD')
        .map((m) => `${m} ${route.pattern.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}')}`),
    )
}

test.group('OpenAPI document', () => {
  test('is served and documents exactly the routes that exist', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    const document = response.body()
    assert.equal(document.openapi, '3.1.0')
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method.toUpperCase()} ${path}`),
    )
    assert.sameMembers(documented, apiRoutes())
  })
})

test.group('API reference page', () => {
  test('renders every documented path for people, without signing in', async ({ client }) => {
    const response = await client.get('/api/docs').withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('api_docs')
    response.assertInertiaPropsContains({ document: { openapi: '3.1.0' } })
  })
})
