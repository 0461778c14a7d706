import { test } from '@japa/runner'
import { createServer } from 'node:http'
import {
  HttpCredentialStore,
  CredentialStoreError,
} from '../../src/registrar/http_credential_store.ts'
import { signEdgeRequest } from '../../src/events/signer.ts'
import { HttpTrunkStore } from '../../src/trunks/http_trunk_store.ts'
import { pino } from 'pino'

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

test.group('HttpCredentialStore and HttpTrunkStore while the app is down', () => {
  /** A stand-in app that answers alice, one trunk at 192.0.2.7, and can be killed. */
  async function app() {
    let requests = 0
    const server = createServer((request, response) => {
      requests++
      if (request.url === '/api/edge/sip-realms/acme.pbx.test')
        return void response.end(JSON.stringify({ organizationId: 'org-acme' }))
      if (request.url === '/api/edge/sip-realms/acme.pbx.test/users/alice')
        return void response.end(
          JSON.stringify({ organizationId: 'org-acme', extensionId: 'ext-1', password: 'pw' }),
        )
      if (request.url === '/api/edge/trunks/by-source/192.0.2.7')
        return void response.end(
          JSON.stringify({ organizationId: 'org-acme', trunkId: 't-1', realm: 'acme.pbx.test' }),
        )
      response.writeHead(404)
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return {
      baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      requests: () => requests,
      kill: () => new Promise<void>((resolve) => server.close(() => resolve())),
    }
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  test('known realms and users keep their last answer for maxStaleMs; unknown ones fail', async ({
    assert,
  }) => {
    const running = await app()
    const store = new HttpCredentialStore({
      baseUrl: running.baseUrl,
      signingSecret: SECRET,
      positiveTtlMs: 20,
      maxStaleMs: 400,
    })
    const alice = await store.lookup('acme.pbx.test', 'alice')
    assert.deepEqual(await store.resolveRealm('acme.pbx.test'), { organizationId: 'org-acme' })
    await running.kill()
    await sleep(40)
    // Expired, the app is gone: the last answer stands in.
    assert.deepEqual(await store.lookup('acme.pbx.test', 'alice'), alice)
    assert.deepEqual(await store.resolveRealm('acme.pbx.test'), { organizationId: 'org-acme' })
    // Never known: no guess, an error (→ 503 to the phone).
    await assert.rejects(() => store.lookup('acme.pbx.test', 'bob'), CredentialStoreError)
    await sleep(450)
    await assert.rejects(() => store.lookup('acme.pbx.test', 'alice'), CredentialStoreError)
  })

  test('a known trunk keeps its last answer, and a hung app is asked again only every 5 s', async ({
    assert,
    cleanup,
  }) => {
    let hung = false
    let asked = 0
    const server = createServer((request, response) => {
      asked++
      if (hung) return // accepts, never answers: a web process stuck in its start-up
      if (request.url === '/api/edge/trunks/by-source/192.0.2.7')
        return void response.end(
          JSON.stringify({ organizationId: 'org-acme', trunkId: 't-1', realm: 'acme.pbx.test' }),
        )
      response.writeHead(404)
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    cleanup(() => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const trunks = new HttpTrunkStore({
      baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      signingSecret: SECRET,
      logger: pino({ level: 'silent' }),
      timeoutMs: 1000,
    })
    assert.equal((await trunks.bySourceIp('192.0.2.7'))?.trunkId, 't-1')
    assert.isNull(await trunks.bySourceIp('198.51.100.1'))
    assert.equal(asked, 2)

    hung = true
    const asks = async (count: number) => {
      const deadline = realNow() + 3000
      while (asked < count && realNow() < deadline) await new Promise((r) => setTimeout(r, 10))
      return asked
    }
    // The cache's clock moves past the 30 s of a known answer.
    const realNow = Date.now
    let offset = 31_000
    Date.now = () => realNow() + offset
    cleanup(() => void (Date.now = realNow))
    assert.equal((await trunks.bySourceIp('192.0.2.7'))?.trunkId, 't-1', 'the last answer, now')
    assert.equal(await asks(3), 3, 'and the app is asked in the background')
    offset += 2000
    assert.equal((await trunks.bySourceIp('192.0.2.7'))?.trunkId, 't-1')
    await new Promise((r) => setTimeout(r, 50))
    assert.equal(asked, 3, 'within 5 s of the last try the app is not asked again')
    offset += 4000
    assert.equal((await trunks.bySourceIp('192.0.2.7'))?.trunkId, 't-1')
    assert.equal(await asks(4), 4)
    // Never known, and the app does not answer: no trunk (the call must authenticate).
    assert.isNull(await trunks.bySourceIp('203.0.113.9'))
    // Ten minutes after the last real answer, it no longer stands in.
    offset += 600_000
    assert.isNull(await trunks.bySourceIp('192.0.2.7'))
  })
})
