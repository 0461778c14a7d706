import { test } from '@japa/runner'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { TestUac, header } from '../support/test_uac.ts'
import { computeResponse, parseAuthParams } from '../../src/registrar/digest.ts'

const ALICE = { user: 'alice', realm: 'acme.pbx.test', password: 'alice-secret-1' }

test.group('registrar (real UDP + Redis)', (group) => {
  let running: RunningEdge
  const uacs: TestUac[] = []
  const open = async (localAddress = '127.0.0.1') => {
    const uac = await TestUac.open(running.udpPort, localAddress)
    uacs.push(uac)
    return uac
  }
  group.each.setup(async () => {
    running = await startEdge({ env: { VOIP_EDGE_ALLOW_IPS: '127.0.0.9' } })
    return async () => {
      for (const uac of uacs.splice(0)) uac.close()
      await running.close()
    }
  })

  test('challenges with SHA-256 first, then MD5, and registers with either', async ({ assert }) => {
    const uac = await open()
    for (const algorithm of ['SHA-256', 'MD5'] as const) {
      const { challenge, final } = await uac.register({ ...ALICE, algorithm })
      assert.equal(challenge.status, 401)
      const offers = challenge.headers
        .filter((h) => h.name === 'www-authenticate')
        .map((h) => h.value)
      assert.match(offers[0], /algorithm=SHA-256/)
      assert.match(offers[1], /algorithm=MD5/)
      assert.equal(final.status, 200, `${algorithm} registration`)
      assert.match(header(final, 'contact'), /^<sip:alice@127\.0\.0\.1:\d+>;expires=300$/)
    }
    const bindings = await running.edge.bindings.list('org-acme', 'alice@acme.pbx.test', Date.now())
    assert.lengthOf(bindings, 1)
    assert.equal(bindings[0].extensionId, 'ext-alice')
    assert.equal(bindings[0].source.address, '127.0.0.1')
    assert.isAbove(
      await running.redis.pttl(`${running.prefix}reg:org-acme:alice@acme.pbx.test`),
      290_000,
    )
  })

  test('wrong password and unknown user get the same 403', async ({ assert }) => {
    const uac = await open()
    const wrong = (await uac.register({ ...ALICE, password: 'nope' })).final
    const unknown = (await uac.register({ user: 'mallory', realm: 'acme.pbx.test', password: 'x' }))
      .final
    assert.equal(wrong.status, 403)
    assert.equal(unknown.status, 403)
    assert.equal(wrong.reason, unknown.reason)
    assert.deepEqual(
      wrong.headers.map((h) => h.name),
      unknown.headers.map((h) => h.name),
    )
  })

  test('a replayed nonce and nonce-count gets 401 with stale=true', async ({ assert }) => {
    const uac = await open()
    const { final, authorization } = await uac.register(ALICE)
    assert.equal(final.status, 200)
    const replay = await uac.request({ ...ALICE, authorization })
    assert.equal(replay.status, 401)
    assert.match(header(replay, 'www-authenticate'), /stale=true/)
  })

  test('a success clears the failure counters, a replayed success does not', async ({ assert }) => {
    const uac = await open()
    const { final, authorization } = await uac.register(ALICE)
    assert.equal(final.status, 200)
    const failures = `${running.prefix}bf:ip:fail:127.0.0.1`
    for (let i = 0; i < 3; i++)
      assert.equal((await uac.register({ ...ALICE, password: `guess-${i}` })).final.status, 403)
    assert.equal(await running.redis.get(failures), '3')
    // A captured good request replayed between guesses must not wipe the attacker's count.
    assert.equal((await uac.request({ ...ALICE, authorization })).status, 401)
    assert.equal(await running.redis.get(failures), '3')
    assert.equal((await uac.register(ALICE)).final.status, 200)
    assert.isNull(await running.redis.get(failures))
  })

  test('a blocked source gets 403 whatever else is wrong with its REGISTER', async ({ assert }) => {
    const uac = await open()
    await running.redis.set(`${running.prefix}bf:ip:block:127.0.0.1`, '1', 'EX', 60)
    assert.equal((await uac.request({ ...ALICE, realm: 'nowhere.pbx.test' })).status, 403)
    assert.equal((await uac.request({ ...ALICE, realm: 'acme.example.org' })).status, 403)
    assert.equal((await uac.request(ALICE)).status, 403)
  })

  test('the same nonce with a higher nonce-count is accepted', async ({ assert }) => {
    const uac = await open()
    const { challenge } = await uac.register(ALICE)
    const offer = header(challenge, 'www-authenticate')
    const second = await uac.request({
      ...ALICE,
      authorization: uac.authorize(offer, { ...ALICE, nc: 2 }),
    })
    assert.equal(second.status, 200)
  })

  test('a nonce issued for another realm is not accepted there', async ({ assert }) => {
    const uac = await open()
    const challenge = await uac.request(ALICE)
    const offer = header(challenge, 'www-authenticate').replace(
      'realm="acme.pbx.test"',
      'realm="globex.pbx.test"',
    )
    const carol = { user: 'carol', realm: 'globex.pbx.test', password: 'carol-secret-3' }
    const response = await uac.request({ ...carol, authorization: uac.authorize(offer, carol) })
    assert.equal(response.status, 401)
    assert.notMatch(header(response, 'www-authenticate'), /stale/)
  })

  test('a tenant user cannot register in another tenant', async ({ assert }) => {
    const uac = await open()
    const { final } = await uac.register({
      user: 'alice',
      realm: 'globex.pbx.test',
      password: 'alice-secret-1',
    })
    assert.equal(final.status, 403)
  })

  test('unknown realm and a realm outside the suffix get 404 before any challenge', async ({
    assert,
  }) => {
    const uac = await open()
    const unknown = await uac.request({ user: 'alice', realm: 'initech.pbx.test' })
    assert.equal(unknown.status, 404)
    assert.equal(unknown.reason, 'Unknown domain')
    const outside = await uac.request({ user: 'alice', realm: 'acme.example.com' })
    assert.equal(outside.status, 404)
  })

  test('expiry below the minimum gets 423 with Min-Expires; Expires: 0 removes the binding', async ({
    assert,
  }) => {
    const uac = await open()
    const brief = await uac.register({ ...ALICE, expires: 5 })
    assert.equal(brief.final.status, 423)
    assert.equal(header(brief.final, 'min-expires'), '60')
    assert.equal((await uac.register(ALICE)).final.status, 200)
    const { challenge } = await uac.register(ALICE)
    const authorization = uac.authorize(header(challenge, 'www-authenticate'), { ...ALICE, nc: 5 })
    const removed = await uac.request({ ...ALICE, authorization, expires: 0 })
    assert.equal(removed.status, 200)
    assert.lengthOf(
      await running.edge.bindings.list('org-acme', 'alice@acme.pbx.test', Date.now()),
      0,
    )
  })

  test('brute force: 20 wrong attempts block the source; the real user elsewhere still registers', async ({
    assert,
  }) => {
    const attacker = await open('127.0.0.1')
    const statuses: number[] = []
    for (let i = 0; i < 20; i++)
      statuses.push((await attacker.register({ ...ALICE, password: `guess-${i}` })).final.status)
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(403))
    const blockedChallenge = await attacker.request(ALICE)
    assert.equal(blockedChallenge.status, 403, 'blocked before any challenge')
    assert.equal(
      (await attacker.register(ALICE)).final.status,
      403,
      'even the right password is refused',
    )
    assert.closeTo(await running.edge.guard.ipBlockedFor('127.0.0.1'), 300, 5)
    const legit = await open('127.0.0.2')
    assert.equal((await legit.register(ALICE)).final.status, 200)
  })

  test('block times escalate for a repeat offender', async ({ assert }) => {
    const attacker = await open('127.0.0.5')
    for (let i = 0; i < 10; i++)
      await attacker.register({ user: 'bob', realm: 'acme.pbx.test', password: 'x' })
    assert.closeTo(await running.edge.guard.ipBlockedFor('127.0.0.5'), 300, 5)
    await running.redis.del(`${running.prefix}bf:ip:block:127.0.0.5`)
    for (let i = 0; i < 10; i++)
      await attacker.register({ user: 'bob', realm: 'acme.pbx.test', password: 'x' })
    assert.closeTo(await running.edge.guard.ipBlockedFor('127.0.0.5'), 600, 5)
  })

  test('an AOR attacked from several sources is locked for everyone', async ({ assert }) => {
    const a = await open('127.0.0.3')
    const b = await open('127.0.0.4')
    for (let i = 0; i < 5; i++) {
      await a.register({ ...ALICE, password: 'x' })
      await b.register({ ...ALICE, password: 'y' })
    }
    const legit = await open('127.0.0.2')
    assert.equal((await legit.request(ALICE)).status, 403)
    assert.isAbove(await running.edge.guard.aorLockedFor('org-acme', 'alice@acme.pbx.test'), 0)
    assert.equal(
      (await legit.register({ user: 'bob', realm: 'acme.pbx.test', password: 'bob-secret-2' }))
        .final.status,
      200,
      'other AORs unaffected',
    )
  })

  test('an allow-listed source is never blocked', async ({ assert }) => {
    const office = await open('127.0.0.9')
    for (let i = 0; i < 12; i++)
      await office.register({ user: 'bob', realm: 'acme.pbx.test', password: 'x' })
    assert.equal(await running.edge.guard.ipBlockedFor('127.0.0.9'), 0)
    assert.equal(
      (await office.register({ user: 'bob', realm: 'acme.pbx.test', password: 'bob-secret-2' }))
        .final.status,
      200,
    )
  })
})

test.group('registrar restart', () => {
  test('bindings survive a restart of the edge', async ({ assert, cleanup }) => {
    const running = await startEdge({ env: { VOIP_EDGE_SIP_TRANSPORTS: 'udp' } })
    cleanup(() => running.close())
    const uac = await TestUac.open(running.udpPort)
    cleanup(() => uac.close())
    assert.equal((await uac.register(ALICE)).final.status, 200)
    await running.restart()
    const bindings = await running.edge.bindings.list('org-acme', 'alice@acme.pbx.test', Date.now())
    assert.lengthOf(bindings, 1)
    assert.match(bindings[0].contact, /^sip:alice@127\.0\.0\.1:\d+$/)
    // The restarted edge still validates the old binding's refresh with the shared secret.
    assert.equal((await uac.register(ALICE)).final.status, 200)
  })
})

test.group('registrar over WebSocket', () => {
  test('a browser-style phone registers over WS and its binding keeps the WS flow', async ({
    assert,
    cleanup,
  }) => {
    const running = await startEdge({
      env: { VOIP_EDGE_SIP_TRANSPORTS: 'udp,ws', VOIP_EDGE_WS_PORT: '0' },
    })
    cleanup(() => running.close())
    const wsPort = running.ports.get('ws')
    const socket = new WebSocket(`ws://127.0.0.1:${wsPort}`, 'sip')
    cleanup(() => socket.close())
    await new Promise((resolve, reject) => {
      socket.onopen = resolve
      socket.onerror = reject
    })
    const exchange = (text: string) =>
      new Promise<string>((resolve) => {
        socket.onmessage = (event) => resolve(String(event.data))
        socket.send(text)
      })
    const register = (cseq: number, authorization?: string) =>
      [
        'REGISTER sip:acme.pbx.test SIP/2.0',
        `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws${cseq}`,
        'Max-Forwards: 70',
        'From: <sip:alice@acme.pbx.test>;tag=wsf',
        'To: <sip:alice@acme.pbx.test>',
        'Call-ID: ws-register-1',
        `CSeq: ${cseq} REGISTER`,
        'Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>',
        'Expires: 300',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        '',
        '',
      ].join('\r\n')
    const challenge = await exchange(register(1))
    assert.match(challenge, /^SIP\/2\.0 401 /)
    const offer = /WWW-Authenticate: (.*MD5.*)\r\n/.exec(challenge)?.[1] ?? ''
    const params = parseAuthParams(offer.replace(/^Digest\s+/i, ''))
    const nonce = params.get('nonce')!
    const response = computeResponse({
      algorithm: 'MD5',
      username: 'alice',
      realm: 'acme.pbx.test',
      password: 'alice-secret-1',
      method: 'REGISTER',
      uri: 'sip:acme.pbx.test',
      nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: 'wscn',
    })
    const ok = await exchange(
      register(
        2,
        `Digest username="alice", realm="acme.pbx.test", nonce="${nonce}", uri="sip:acme.pbx.test", algorithm=MD5, qop=auth, nc=00000001, cnonce="wscn", response="${response}"`,
      ),
    )
    assert.match(ok, /^SIP\/2\.0 200 OK/)
    const [binding] = await running.edge.bindings.list(
      'org-acme',
      'alice@acme.pbx.test',
      Date.now(),
    )
    assert.equal(binding.source.protocol, 'ws')
    assert.match(
      binding.source.flowId ?? '',
      /^ws-\d+$/,
      'calls to this phone go back over its WebSocket',
    )
  })
})
