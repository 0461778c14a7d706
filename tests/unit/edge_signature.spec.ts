import { test } from '@japa/runner'
import { verifyEdgeSignature, type SignedRequest } from '#services/webhooks/edge_signature'
import { signEdgeRequest } from '../../voip-edge/src/events/signer.js'

const SECRET = 'tenant-secret-0123456789abcdef0123456789'
const NEXT = 'rotated-secret-abcdef0123456789abcdef01'
const NOW = 1_800_000_000

/* Signed exactly as voip-edge signs (the edge's own signer, not a copy of the maths). */
function signed(overrides: Partial<SignedRequest> = {}, secret = SECRET, at = NOW): SignedRequest {
  const base = {
    method: 'POST',
    pathAndQuery: '/api/voice/route?x=1',
    rawBody: '{"To":"+15551230000"}',
    requestId: 'f3b1c2d4-0000-4000-8000-000000000001',
  }
  const signature = signEdgeRequest(
    secret,
    at,
    base.requestId,
    base.method,
    base.pathAndQuery,
    base.rawBody,
  )
  return { ...base, timestamp: String(at), signature: `v1=${signature}`, ...overrides }
}

test.group('Edge request signature (contract §6.2)', () => {
  test('accepts what voip-edge signs', ({ assert }) => {
    assert.deepEqual(verifyEdgeSignature(signed(), [SECRET], NOW), { ok: true })
  })

  test('accepts either secret during rotation, and a second v1 value', ({ assert }) => {
    assert.isTrue(verifyEdgeSignature(signed({}, NEXT), [SECRET, NEXT], NOW).ok)
    const both = signed()
    const second = signed({}, NEXT).signature!
    assert.isTrue(
      verifyEdgeSignature({ ...both, signature: `v1=${'0'.repeat(64)},${second}` }, [NEXT], NOW).ok,
    )
  })

  test('rejects a wrong secret and any tampering', ({ assert }) => {
    const request = signed()
    assert.deepEqual(verifyEdgeSignature(request, ['other-secret'], NOW), {
      ok: false,
      reason: 'invalid',
    })
    for (const tampered of [
      { rawBody: '{"To":"+19005550100"}' },
      { pathAndQuery: '/api/voice/route?x=2' },
      { method: 'GET' },
      { requestId: 'f3b1c2d4-0000-4000-8000-000000000002' },
    ]) {
      assert.deepEqual(verifyEdgeSignature({ ...request, ...tampered }, [SECRET], NOW), {
        ok: false,
        reason: 'invalid',
      })
    }
  })

  test('enforces the ±300 s window (299 ok, 301 refused, both directions)', ({ assert }) => {
    for (const [skew, ok] of [
      [299, true],
      [-299, true],
      [301, false],
      [-301, false],
    ] as const) {
      const request = signed({}, SECRET, NOW + skew)
      assert.equal(verifyEdgeSignature(request, [SECRET], NOW).ok, ok, `skew ${skew}`)
    }
    assert.deepEqual(verifyEdgeSignature(signed({}, SECRET, NOW - 301), [SECRET], NOW), {
      ok: false,
      reason: 'skewed',
    })
  })

  test('missing headers, no configured secret and malformed values are refused', ({ assert }) => {
    assert.deepEqual(verifyEdgeSignature(signed({ signature: undefined }), [SECRET], NOW), {
      ok: false,
      reason: 'missing',
    })
    assert.deepEqual(verifyEdgeSignature(signed({ timestamp: undefined }), [SECRET], NOW), {
      ok: false,
      reason: 'missing',
    })
    assert.deepEqual(verifyEdgeSignature(signed(), [], NOW), { ok: false, reason: 'missing' })
    assert.deepEqual(verifyEdgeSignature(signed({ signature: 'v2=abc' }), [SECRET], NOW), {
      ok: false,
      reason: 'invalid',
    })
    assert.deepEqual(verifyEdgeSignature(signed({ timestamp: '12e5' }), [SECRET], NOW), {
      ok: false,
      reason: 'invalid',
    })
  })
})
