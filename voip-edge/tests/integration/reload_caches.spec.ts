import { test } from '@japa/runner'
import { createServer, type Server } from 'node:http'
import { pino } from 'pino'
import { HttpCredentialStore } from '../../src/registrar/http_credential_store.ts'
import { HttpPlanStore } from '../../src/trunks/plan_store.ts'
import { HttpTrunkStore } from '../../src/trunks/http_trunk_store.ts'

const SECRET = 'reload-test-secret-0123456789abcdef'

/* A stand-in app answering the three edge lookups; `version` changes what it answers. */
async function fakeApp() {
  const state = { version: 1, requests: 0 }
  const server: Server = createServer((request, response) => {
    state.requests++
    const path = request.url ?? ''
    response.setHeader('content-type', 'application/json')
    if (path.startsWith('/api/edge/sip-realms/acme.test/users/')) {
      return response.end(
        JSON.stringify({
          organizationId: 'org-1',
          extensionId: 'ext-1',
          password: `pw-${state.version}`,
        }),
      )
    }
    if (path.startsWith('/api/edge/organizations/')) {
      return response.end(
        JSON.stringify({ routes: [{ id: `route-${state.version}` }], rules: [], trunks: [] }),
      )
    }
    if (path.startsWith('/api/edge/trunks/by-source/')) {
      return response.end(
        JSON.stringify({
          organizationId: 'org-1',
          trunkId: `trunk-${state.version}`,
          realm: 'acme.test',
        }),
      )
    }
    response.statusCode = 404
    response.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  return { state, baseUrl: `http://127.0.0.1:${port}`, close: () => void server.close() }
}

test.group('reload: cached app answers are dropped', () => {
  test('credentials, outbound plans and trunks are asked again after clear()', async ({
    assert,
    cleanup,
  }) => {
    const app = await fakeApp()
    cleanup(() => app.close())
    const options = { baseUrl: app.baseUrl, signingSecret: SECRET }
    const credentials = new HttpCredentialStore(options)
    const plans = new HttpPlanStore(options)
    const trunks = new HttpTrunkStore({ ...options, logger: pino({ level: 'silent' }) })
    const read = async () => ({
      password: (await credentials.lookup('acme.test', '1001'))?.password,
      route: (await plans.plan('org-1')).routes[0]?.id,
      trunk: (await trunks.bySourceIp('192.0.2.10'))?.trunkId,
    })

    assert.deepEqual(await read(), { password: 'pw-1', route: 'route-1', trunk: 'trunk-1' })
    const asked = app.state.requests
    app.state.version = 2
    // Within the cache lifetime the old answers stand, without asking the app.
    assert.deepEqual(await read(), { password: 'pw-1', route: 'route-1', trunk: 'trunk-1' })
    assert.equal(app.state.requests, asked)

    credentials.clear()
    plans.clear()
    trunks.clear()
    assert.deepEqual(await read(), { password: 'pw-2', route: 'route-2', trunk: 'trunk-2' })
    assert.equal(app.state.requests, asked + 3)
  })
})
