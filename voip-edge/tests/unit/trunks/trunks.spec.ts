import { test } from '@japa/runner'
import { decideOutbound, type OutboundPlan } from '../../../src/trunks/outbound_plan.ts'
import { TenantCallLimiter, TrunkChannels } from '../../../src/trunks/call_limits.ts'
import { answerChallenge } from '../../../src/trunks/digest_client.ts'
import { computeResponse, parseDigestAuthorization } from '../../../src/registrar/digest.ts'
import { refreshDelayMs } from '../../../src/trunks/trunk_registrations.ts'
import { parseConfig } from '../../../src/config.ts'

const trunk = (id: string) => ({
  id,
  name: id,
  kind: 'ip' as const,
  host: `${id}.carrier.test`,
  port: 5060,
  transport: 'udp' as const,
  username: null,
  password: null,
  maxChannels: null,
  callerIdNumber: null,
  passCallerId: true,
})

const route = (id: string, extra: Partial<OutboundPlan['routes'][number]>) => ({
  id,
  prefix: null,
  minLength: null,
  maxLength: null,
  stripDigits: 0,
  prepend: null,
  priority: 10,
  trunkIds: ['a'],
  ...extra,
})

test.group('outbound plan decision (edge-side toll-fraud check)', () => {
  const plan: OutboundPlan = {
    routes: [
      route('national', {
        prefix: '90',
        minLength: 11,
        stripDigits: 2,
        prepend: '+44',
        priority: 1,
      }),
      route('intl', { prefix: '+', priority: 5, trunkIds: ['b', 'gone', 'a'] }),
      route('zeros', { prefix: '00', priority: 5, stripDigits: 2, prepend: '+' }),
    ],
    rules: [],
    trunks: [trunk('a'), trunk('b')],
  }

  test('route by prefix, length and priority; strip/prepend; ordered existing trunks', ({
    assert,
  }) => {
    const national = decideOutbound(plan, '902079 460000')
    assert.deepInclude(national, {
      allowed: true,
      dialledNumber: '+442079460000',
      routeId: 'national',
    })
    const intl = decideOutbound(plan, '+1 (212) 555-0100')
    assert.isTrue(intl.allowed)
    if (intl.allowed)
      assert.deepEqual(
        intl.trunks.map((t) => t.id),
        ['b', 'a'],
        'unknown trunk ids are skipped, order kept',
      )
    assert.deepEqual(decideOutbound(plan, '1234'), {
      allowed: false,
      reason: 'no_route',
      matchedPrefix: null,
    })
    assert.deepEqual(decideOutbound(plan, 'sip:evil'), {
      allowed: false,
      reason: 'invalid_number',
      matchedPrefix: null,
    })
  })

  test('premium ranges are denied by default, a tenant allow of the range lifts it', ({
    assert,
  }) => {
    assert.deepEqual(decideOutbound(plan, '+19005550100'), {
      allowed: false,
      reason: 'denied_by_default',
      matchedPrefix: '+1900',
    })
    // The same number dialled with the 00 access code is caught in its international form.
    assert.include(decideOutbound(plan, '0019005550100'), { allowed: false })
    const allowed = { ...plan, rules: [{ kind: 'allow' as const, prefix: '+1900' }] }
    assert.isTrue(decideOutbound(allowed, '+19005550100').allowed)
  })

  test('with an allow rule the list is a whitelist; a longer deny inside an allow wins', ({
    assert,
  }) => {
    const whitelist = {
      ...plan,
      rules: [
        { kind: 'allow' as const, prefix: '+44' },
        { kind: 'deny' as const, prefix: '+4490' },
      ],
    }
    assert.isTrue(decideOutbound(whitelist, '+442079460000').allowed)
    assert.include(decideOutbound(whitelist, '+33142685300'), { reason: 'not_whitelisted' })
    assert.include(decideOutbound(whitelist, '+449012345678'), {
      reason: 'denied_by_rule',
      matchedPrefix: '+4490',
    })
    // A rewrite that produces a denied destination is refused too (rewritten form checked).
    const sneaky = {
      routes: [route('r', { prefix: '7', stripDigits: 1, prepend: '+1900' })],
      rules: [],
      trunks: [trunk('a')],
    }
    assert.include(decideOutbound(sneaky, '75550100'), { reason: 'denied_by_default' })
  })
})

test.group('tenant caps and trunk channels', () => {
  test('concurrent cap: cap+1 is refused with the limit; a release makes room', ({ assert }) => {
    const limiter = new TenantCallLimiter({ defaults: { maxCalls: 2, maxCps: 0 } })
    assert.isNull(limiter.admit('org', 'c1'))
    assert.isNull(limiter.admit('org', 'c2'))
    assert.equal(limiter.admit('org', 'c3'), 'tenant concurrent call limit 2')
    assert.isNull(limiter.admit('other', 'c4'), 'another tenant has its own count')
    limiter.release('org', 'c1')
    assert.isNull(limiter.admit('org', 'c3'))
    assert.equal(limiter.activeCalls('org'), 2)
  })

  test('calls per second: cap+1 within one second is refused, the next second is not', ({
    assert,
  }) => {
    let now = 1_000_000
    const limiter = new TenantCallLimiter({
      defaults: { maxCalls: 0, maxCps: 3 },
      overrides: { vip: { maxCps: 10 } },
      now: () => now,
    })
    for (let i = 0; i < 3; i++) assert.isNull(limiter.admit('org', `c${i}`))
    assert.equal(limiter.admit('org', 'c3'), 'tenant call rate limit 3/s')
    for (let i = 0; i < 4; i++) assert.isNull(limiter.admit('vip', `v${i}`), 'override')
    now += 1000
    assert.isNull(limiter.admit('org', 'c4'))
  })

  test('trunk channels: maxChannels acquisitions, then refused until released', ({ assert }) => {
    const channels = new TrunkChannels()
    assert.isTrue(channels.acquire('t', 1))
    assert.isFalse(channels.acquire('t', 1))
    assert.isTrue(channels.acquire('u', null), 'no limit')
    channels.release('t')
    assert.isTrue(channels.acquire('t', 1))
    assert.deepEqual(channels.snapshot(), { t: 1, u: 1 })
  })
})

test.group('digest client and registration timing', () => {
  test('answers a carrier challenge so that the carrier verifies it (qop=auth; SHA-256 preferred)', ({
    assert,
  }) => {
    const value = answerChallenge(
      [
        'Digest realm="carrier.test", nonce="n0nce", algorithm=MD5, qop="auth"',
        'Digest realm="carrier.test", nonce="n0nce", algorithm=SHA-256, qop="auth,auth-int", opaque="op"',
      ],
      { username: 'trunkuser', password: 'trunk-secret-9' },
      { method: 'INVITE', uri: 'sip:0044201234567@carrier.test' },
    )
    const parsed = parseDigestAuthorization(value!)!
    assert.include(parsed, { algorithm: 'SHA-256', qop: 'auth', nc: '00000001', opaque: 'op' })
    const expected = computeResponse({
      algorithm: 'SHA-256',
      username: 'trunkuser',
      realm: 'carrier.test',
      password: 'trunk-secret-9',
      method: 'INVITE',
      uri: 'sip:0044201234567@carrier.test',
      nonce: 'n0nce',
      qop: 'auth',
      nc: '00000001',
      cnonce: parsed.cnonce,
    })
    assert.equal(parsed.response, expected)
  })

  test('no usable challenge (Basic, auth-int only, unknown algorithm) → null', ({ assert }) => {
    const credentials = { username: 'u', password: 'p' }
    const request = { method: 'REGISTER', uri: 'sip:carrier.test' }
    assert.isNull(answerChallenge(['Basic realm="x"'], credentials, request))
    assert.isNull(
      answerChallenge(['Digest realm="x", nonce="n", qop="auth-int"'], credentials, request),
    )
    assert.isNull(
      answerChallenge(['Digest realm="x", nonce="n", algorithm=SHA-512-256'], credentials, request),
    )
  })

  test('registrations are refreshed before they lapse', ({ assert }) => {
    assert.equal(refreshDelayMs(2), 1000)
    assert.equal(refreshDelayMs(60), 30_000)
    assert.equal(refreshDelayMs(3600), 3_570_000)
  })
})

test.group('trunk and tenant-limit configuration', () => {
  const base = { VOIP_EDGE_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef' }

  test('defaults: no caps, 4 s trunk silence before failover', ({ assert }) => {
    const config = parseConfig(base)
    assert.deepEqual(config.tenantLimits, { maxCalls: 0, maxCps: 0, overrides: {} })
    assert.equal(config.trunkNoResponseMs, 4000)
  })

  test('caps and per-tenant overrides are parsed; a bad override names its variable', ({
    assert,
  }) => {
    const config = parseConfig({
      ...base,
      VOIP_EDGE_TENANT_MAX_CALLS: '20',
      VOIP_EDGE_TENANT_MAX_CPS: '5',
      VOIP_EDGE_TENANT_LIMITS: '{"42":{"maxCalls":100}}',
    })
    assert.deepEqual(config.tenantLimits, {
      maxCalls: 20,
      maxCps: 5,
      overrides: { 42: { maxCalls: 100 } },
    })
    for (const bad of ['[1]', '{"42":{"maxCalls":-1}}', '{"42":5}', 'not json']) {
      assert.throws(
        () => parseConfig({ ...base, VOIP_EDGE_TENANT_LIMITS: bad }),
        /VOIP_EDGE_TENANT_LIMITS/,
      )
    }
    assert.throws(
      () => parseConfig({ ...base, VOIP_EDGE_TENANT_MAX_CALLS: 'many' }),
      /VOIP_EDGE_TENANT_MAX_CALLS/,
    )
  })
})
