import { test } from '@japa/runner'
import {
  computeResponse,
  parseDigestAuthorization,
  buildChallenge,
  responsesEqual,
} from '../../../src/registrar/digest.ts'
import { NonceManager } from '../../../src/registrar/nonce.ts'
import { FakeClock } from '../../support/fake_clock.ts'

// RFC 7616 §3.9.1 example values.
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  qop: 'auth',
}

test.group('digest maths (RFC test vectors)', () => {
  test('RFC 7616 §3.9.1 MD5 response', ({ assert }) => {
    assert.equal(
      computeResponse({ ...RFC7616, algorithm: 'MD5' }),
      '8ca523f5e9506fed4657c9700eebdbec',
    )
  })

  test('RFC 7616 §3.9.1 SHA-256 response', ({ assert }) => {
    assert.equal(
      computeResponse({ ...RFC7616, algorithm: 'SHA-256' }),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    )
  })

  test('RFC 2617 §3.5 MD5 response', ({ assert }) => {
    const response = computeResponse({
      algorithm: 'MD5',
      username: 'Mufasa',
      password: 'Circle Of Life',
      realm: 'testrealm@host.com',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      nc: '00000001',
      cnonce: '0a4f113b',
      qop: 'auth',
    })
    assert.equal(response, '6629fae49393a05397450978507c4ef1')
  })

  test('parses an Authorization header with quoted commas and unquoted values', ({ assert }) => {
    const parsed = parseDigestAuthorization(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="a, b"',
    )
    assert.isNotNull(parsed)
    assert.equal(parsed!.algorithm, 'SHA-256')
    assert.equal(parsed!.nc, '00000001')
    assert.equal(parsed!.opaque, 'a, b')
  })

  test('rejects credentials with a malformed response, unknown algorithm or qop without nc', ({
    assert,
  }) => {
    const base =
      'Digest username="a", realm="r", uri="sip:r", nonce="n", qop=auth, nc=00000001, cnonce="c"'
    assert.isNull(parseDigestAuthorization(`${base}, response="xyz"`))
    assert.isNull(
      parseDigestAuthorization(`${base}, algorithm=SHA-512-256, response="${'a'.repeat(64)}"`),
    )
    assert.isNull(
      parseDigestAuthorization(
        `Digest username="a", realm="r", uri="sip:r", nonce="n", qop=auth, response="${'a'.repeat(32)}"`,
      ),
    )
    assert.isNull(parseDigestAuthorization(`Basic YWxhZGRpbjpvcGVuc2VzYW1l`))
  })

  test('builds a challenge with stale=true when asked', ({ assert }) => {
    const value = buildChallenge({
      realm: 'acme.test',
      nonce: 'N',
      algorithm: 'SHA-256',
      stale: true,
    })
    assert.equal(
      value,
      'Digest realm="acme.test", nonce="N", algorithm=SHA-256, qop="auth", stale=true',
    )
  })

  test('compares responses in constant time and case-insensitively', ({ assert }) => {
    assert.isTrue(responsesEqual('abcdef', 'ABCDEF'))
    assert.isFalse(responsesEqual('abcdef', 'abcdeg'))
    assert.isFalse(responsesEqual('abcdef', 'abcde'))
  })
})

test.group('HMAC nonces', () => {
  const secret = 's'.repeat(40)

  test('a fresh nonce is valid for its realm only', ({ assert }) => {
    const nonces = new NonceManager(secret, new FakeClock())
    const nonce = nonces.issue('acme.pbx.test')
    assert.equal(nonces.verify(nonce, 'acme.pbx.test'), 'valid')
    assert.equal(
      nonces.verify(nonce, 'ACME.pbx.test'),
      'valid',
      'realms compare case-insensitively',
    )
    assert.equal(nonces.verify(nonce, 'globex.pbx.test'), 'invalid')
  })

  test('a nonce is stale after 5 minutes', ({ assert }) => {
    const clock = new FakeClock()
    clock.advance(1_800_000_000_000)
    const nonces = new NonceManager(secret, clock)
    const nonce = nonces.issue('acme.pbx.test')
    clock.advance(300_000)
    assert.equal(nonces.verify(nonce, 'acme.pbx.test'), 'valid')
    clock.advance(1)
    assert.equal(nonces.verify(nonce, 'acme.pbx.test'), 'stale')
  })

  test('a tampered nonce, or one signed with another secret, is invalid', ({ assert }) => {
    const clock = new FakeClock()
    const nonces = new NonceManager(secret, clock)
    const nonce = nonces.issue('acme.pbx.test')
    const flipped = nonce[5] === 'A' ? 'B' : 'A'
    assert.equal(
      nonces.verify(nonce.slice(0, 5) + flipped + nonce.slice(6), 'acme.pbx.test'),
      'invalid',
    )
    assert.equal(new NonceManager('t'.repeat(40), clock).verify(nonce, 'acme.pbx.test'), 'invalid')
    assert.equal(nonces.verify('short', 'acme.pbx.test'), 'invalid')
  })

  test('nonces are unique', ({ assert }) => {
    const nonces = new NonceManager(secret, new FakeClock())
    const set = new Set(Array.from({ length: 1000 }, () => nonces.issue('r')))
    assert.equal(set.size, 1000)
  })
})
