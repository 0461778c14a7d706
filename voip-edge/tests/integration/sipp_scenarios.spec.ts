import { test } from '@japa/runner'
import { readdirSync } from 'node:fs'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { runSipp, credentials, SCENARIOS, type SippRun } from '../support/sipp.ts'
import { TestUac, header } from '../support/test_uac.ts'

const ALICE = credentials('alice', 'alice-secret-1', 'acme.pbx.test')

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

test.group('sipp scenarios against the edge (UDP)', (group) => {
  let running: RunningEdge
  group.each.setup(async () => {
    // sipp 3.6.1 only computes MD5 digests, so these runs offer MD5 alone; SHA-256 is
    // covered by the registrar suite's own UAC.
    running = await startEdge({ env: { VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5' } })
    return () => running.close()
  })

  test('every scenario file follows uac_<case>_expect_<status>.xml', ({ assert }) => {
    const files = readdirSync(SCENARIOS)
    assert.isAbove(files.length, 5)
    for (const file of files) assert.match(file, /^ua[cs]_[a-z0-9_]+_expect_\d{3}\.xml$/)
  })

  test('REGISTER with digest → 200 (UDP and TCP)', async ({ assert }) => {
    assertPassed(
      await runSipp({
        scenario: 'uac_register_digest_expect_200.xml',
        port: running.udpPort,
        users: [ALICE],
      }),
      assert,
    )
    assertPassed(
      await runSipp({
        scenario: 'uac_register_digest_expect_200.xml',
        port: running.tcpPort,
        users: [ALICE],
        transport: 't1',
      }),
      assert,
    )
    const bindings = await running.edge.bindings.list('org-acme', 'alice@acme.pbx.test', Date.now())
    assert.sameMembers(
      bindings.map((binding) => binding.source.protocol),
      ['udp', 'tcp'],
    )
  })

  test('wrong password → 403', async ({ assert }) => {
    const users = [credentials('alice', 'wrong-password', 'acme.pbx.test')]
    assertPassed(
      await runSipp({
        scenario: 'uac_register_wrong_password_expect_403.xml',
        port: running.udpPort,
        users,
      }),
      assert,
    )
  })

  test('replayed nonce → 401 stale=true', async ({ assert, cleanup }) => {
    const uac = await TestUac.open(running.udpPort)
    cleanup(() => uac.close())
    const challenge = await uac.request({ user: 'alice', realm: 'acme.pbx.test' })
    const authorization = uac.authorize(header(challenge, 'www-authenticate'), {
      user: 'alice',
      password: 'alice-secret-1',
      realm: 'acme.pbx.test',
    })
    const users = [`alice;Authorization: ${authorization};acme.pbx.test`]
    assertPassed(
      await runSipp({
        scenario: 'uac_register_replayed_nonce_expect_401.xml',
        port: running.udpPort,
        users,
      }),
      assert,
    )
  })

  test('unknown realm → 404', async ({ assert }) => {
    const users = [credentials('alice', 'alice-secret-1', 'initech.pbx.test')]
    assertPassed(
      await runSipp({
        scenario: 'uac_register_unknown_realm_expect_404.xml',
        port: running.udpPort,
        users,
      }),
      assert,
    )
  })

  test('duplicate Call-ID, overflowing Max-Forwards and oversized messages → 400/400/513, and the edge keeps answering', async ({
    assert,
  }) => {
    for (const scenario of [
      'uac_duplicate_callid_expect_400.xml',
      'uac_malformed_max_forwards_expect_400.xml',
      'uac_oversized_expect_513.xml',
    ]) {
      assertPassed(await runSipp({ scenario, port: running.udpPort }), assert)
      assertPassed(
        await runSipp({ scenario: 'uac_options_expect_200.xml', port: running.udpPort }),
        assert,
      )
    }
    assert.equal(running.edge.stack?.stats.parseErrors, 3)
  })

  test('brute force: 20 wrong attempts from 127.0.0.1 → blocked; alice from 127.0.0.2 still registers', async ({
    assert,
  }) => {
    const wrong = Array.from({ length: 20 }, (_, i) =>
      credentials('alice', `guess-${i}`, 'acme.pbx.test'),
    )
    const attack = await runSipp({
      scenario: 'uac_register_wrong_password_expect_403.xml',
      port: running.udpPort,
      users: wrong,
      calls: 20,
      timeoutMs: 15_000,
    })
    // The first 10 calls see 401 then 403; after the block the edge answers 403 at once,
    // which this scenario counts as an unexpected message: so sipp exits 1, not 0.
    assert.equal(attack.code, 1, attack.output)
    assert.isAbove(await running.edge.guard.ipBlockedFor('127.0.0.1'), 0)
    assertPassed(
      await runSipp({
        scenario: 'uac_register_blocked_source_expect_403.xml',
        port: running.udpPort,
        users: [ALICE],
      }),
      assert,
    )
    assertPassed(
      await runSipp({
        scenario: 'uac_register_digest_expect_200.xml',
        port: running.udpPort,
        users: [ALICE],
        localAddress: '127.0.0.2',
      }),
      assert,
    )
  })
})
