import { test } from '@japa/runner'
import { createServer } from 'node:net'
import { createServer as createHttpServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { startEdge, uniquePrefix, deleteKeys } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp } from '../support/sipp.ts'
import { createEdge } from '../../src/edge.ts'
import { parseConfig } from '../../src/config.ts'
import { HttpCxmlRouter, RoutingError } from '../../src/routing/router.ts'
import {
  CredentialStoreError,
  HttpCredentialStore,
} from '../../src/registrar/http_credential_store.ts'
import { InMemoryCredentialStore } from '../../src/registrar/credential_store.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { TENANTS } from '../support/edge_harness.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'

/** An app address where nothing listens: what the edge sees while the web process is dead. */
async function deadAppUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

/** The 503 leaves before the session's media is released: wait (bounded) for the count. */
async function noActiveCall(count: () => number): Promise<number> {
  const deadline = Date.now() + 3000
  while (count() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
  return count()
}

/*
 * The app (web process) killed or restarting (R14): callers get the documented fallback,
 * 503 with Retry-After, never a 500 or a hang. The scenarios fail when Retry-After is absent.
 */
test.group('app unreachable: 503 with Retry-After (sipp + rtpengine)', (group) => {
  let daemon: RtpengineProcess
  let work: string

  group.setup(async () => {
    daemon = await startRtpengine()
    work = mkdtempSync(join(tmpdir(), 'voip-edge-app-down-'))
    return async () => {
      await daemon.stop()
      rmSync(work, { recursive: true, force: true })
    }
  })

  test('routing request refused → the apology as early media, then 503 with Retry-After', async ({
    assert,
  }) => {
    const running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      },
      router: new HttpCxmlRouter({
        baseUrl: await deadAppUrl(),
        signingSecret: SECRET,
        timeoutMs: 2000,
      }),
    })
    try {
      const run = await runSipp({
        scenario: 'uac_call_app_unreachable_expect_503.xml',
        port: running.udpPort,
        users: [
          `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob;${await freeUdpPort()}`,
        ],
        timeoutMs: 30_000,
      })
      assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
      assert.equal(await noActiveCall(() => running.edge.activeCalls()), 0)
    } finally {
      await running.close()
    }
  })

  test('the Dial target cannot be looked up (app gone after routing) → 503 with Retry-After', async ({
    assert,
  }) => {
    const cxml = new CxmlServer(SECRET)
    const url = await cxml.start()
    cxml.document = '<Response><Dial>bob</Dial></Response>'
    // The caller was checked while the app answered; it is gone when the callee is looked up.
    const known = new InMemoryCredentialStore(TENANTS)
    const credentials = {
      resolveRealm: (realm: string) => known.resolveRealm(realm),
      lookup: (realm: string, user: string) =>
        user === 'bob'
          ? Promise.reject(new CredentialStoreError('credential lookup failed: ECONNREFUSED'))
          : known.lookup(realm, user),
    }
    const prefix = uniquePrefix()
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_REDIS_PREFIX: prefix,
      VOIP_EDGE_LOG_LEVEL: 'silent',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
      VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      VOIP_EDGE_APP_BASE_URL: url,
    })
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 })
    const edge = createEdge(config, {
      credentials,
      router: new HttpCxmlRouter({ baseUrl: url, signingSecret: SECRET, timeoutMs: 2000 }),
      redis,
      logger: pino({ level: 'silent' }),
    })
    const port = (await edge.start()).get('udp')!.port
    try {
      const run = await runSipp({
        scenario: 'uac_call_app_unreachable_expect_503.xml',
        port,
        users: [
          `alice;[authentication username=alice password=alice-secret-1];acme.pbx.test;bob;${await freeUdpPort()}`,
        ],
        timeoutMs: 30_000,
      })
      assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
      assert.lengthOf(cxml.calls, 1, 'routed once, then the lookup failed')
    } finally {
      await edge.stop()
      await cxml.stop()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    }
  })

  test('credentials cannot be looked up → 503 with Retry-After at once, not 500', async ({
    assert,
  }) => {
    const app = await deadAppUrl()
    const prefix = uniquePrefix()
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_REDIS_PREFIX: prefix,
      VOIP_EDGE_LOG_LEVEL: 'silent',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
      VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      VOIP_EDGE_APP_BASE_URL: app,
    })
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 })
    const edge = createEdge(config, {
      credentials: new HttpCredentialStore({ baseUrl: app, signingSecret: SECRET }),
      router: new HttpCxmlRouter({ baseUrl: app, signingSecret: SECRET, timeoutMs: 2000 }),
      redis,
      logger: pino({ level: 'silent' }),
    })
    const port = (await edge.start()).get('udp')!.port
    try {
      const run = await runSipp({
        scenario: 'uac_call_credentials_unavailable_expect_503.xml',
        port,
        users: ['alice;;acme.pbx.test;bob'],
        timeoutMs: 15_000,
      })
      assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
      assert.equal(await noActiveCall(() => edge.activeCalls()), 0)
    } finally {
      await edge.stop()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    }
  })
})

test.group('HttpCxmlRouter budget with a struggling app', () => {
  test('a 503 is retried once, but only within what is left of the timeout', async ({
    assert,
    cleanup,
  }) => {
    let requests = 0
    // Each answer takes 700 ms: 503 first, then the CXML. Both fit in 1.4 s, not in 1 s.
    const server = createHttpServer((request, response) => {
      requests++
      request.resume()
      const status = requests === 1 ? 503 : 200
      setTimeout(() => {
        response.writeHead(status, { 'content-type': 'application/xml' })
        response.end('<Response><Hangup/></Response>')
      }, 700)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    cleanup(() => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const request = {
      organizationId: 'org-acme',
      callId: 'budget@test',
      domain: 'acme.pbx.test',
      from: 'alice',
      to: 'bob',
      callerName: null,
      direction: 'subscriber' as const,
    }
    const tight = new HttpCxmlRouter({ baseUrl: base, signingSecret: SECRET, timeoutMs: 1000 })
    await assert.rejects(() => tight.route(request), RoutingError)

    requests = 0
    const roomy = new HttpCxmlRouter({ baseUrl: base, signingSecret: SECRET, timeoutMs: 8000 })
    assert.include(await roomy.route(request), '<Hangup/>', 'the retry itself still happens')
    assert.equal(requests, 2)
  })
})
