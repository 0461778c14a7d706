import { test } from '@japa/runner'
import { createServer } from 'node:http'
import {
  HttpCredentialStore,
  CredentialStoreError,
} from '../../src/registrar/http_credential_store.ts'
import { signEdgeRequest } from '../../src/events/signer.ts'

const SECRET = 'cred-test-secret-0123456789abcdefghij'

test.group('HttpCredentialStore (signed app endpoint)', () => {
  test('resolves realms and users, caches answers, and maps 404 to null', async ({
    assert,
    cleanup,
  }) => {
    const seen: Array<{ url: string; signed: boolean }> = []
    const server = createServer((request, response) => {
      const timestamp = Number(request.headers['x-edge-timestamp'])
      const id = String(request.headers['x-edge-request-id'])
      const signed =
        request.headers['x-edge-signature'] ===
        `v1=${signEdgeRequest(SECRET, timestamp, id, 'GET', request.url ?? '', '')}`
      seen.push({ url: request.url ?? '', signed })
      if (request.url === '/api/edge/sip-realms/acme.pbx.test')
        return void response.end(JSON.stringify({ organizationId: 'org-acme' }))
      if (request.url === '/api/edge/sip-realms/acme.pbx.test/users/alice') {
        return void response.end(
          JSON.stringify({ organizationId: 'org-acme', extensionId: 'ext-1', password: 'pw' }),
        )
      }
      if (request.url?.includes('boom')) {
        response.writeHead(500)
        return void response.end()
      }
      response.writeHead(404)
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const store = new HttpCredentialStore({
      baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      signingSecret: SECRET,
    })
    assert.deepEqual(await store.resolveRealm('ACME.pbx.test'), { organizationId: 'org-acme' })
    assert.deepEqual(await store.lookup('acme.pbx.test', 'alice'), {
      organizationId: 'org-acme',
      extensionId: 'ext-1',
      password: 'pw',
    })
    assert.isNull(await store.lookup('acme.pbx.test', 'mallory'))
    assert.isNull(await store.resolveRealm('initech.pbx.test'))
    await store.lookup('acme.pbx.test', 'alice')
    await store.lookup('acme.pbx.test', 'mallory')
    assert.lengthOf(seen, 4, 'repeated lookups are served from the cache')
    assert.isTrue(seen.every((request) => request.signed))
    await assert.rejects(() => store.lookup('boom.pbx.test', 'x'), CredentialStoreError)
  })
})
