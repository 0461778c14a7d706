import { createHmac, timingSafeEqual } from 'node:crypto'

/*
 * Verification of the edge's layer-2 signature (contract §6.2): HMAC-SHA256 over
 * `<timestamp>.<request-id>.<METHOD>.<path-and-query>.<raw body>`, lowercase hex, sent as
 * `X-Edge-Signature: v1=<hex>[,v1=<hex>]`. Any active secret (two during rotation) may
 * match any offered value; comparisons are constant-time.
 */

export const SIGNATURE_WINDOW_SECONDS = 300

export type SignedRequest = {
  timestamp: string | undefined
  requestId: string | undefined
  signature: string | undefined
  method: string
  pathAndQuery: string
  rawBody: string
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'skewed' | 'invalid' }

function mac(secret: string, r: SignedRequest) {
  return createHmac('sha256', secret)
    .update(
      `${r.timestamp}.${r.requestId}.${r.method.toUpperCase()}.${r.pathAndQuery}.${r.rawBody}`,
    )
    .digest()
}

export function verifyEdgeSignature(
  request: SignedRequest,
  secrets: string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const { timestamp, requestId, signature } = request
  if (!timestamp || !requestId || !signature || secrets.length === 0)
    return { ok: false, reason: 'missing' }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid' }
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, reason: 'skewed' }

  const offered = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1=') && /^[0-9a-f]{64}$/.test(part.slice(3)))
    .map((part) => Buffer.from(part.slice(3), 'hex'))
  if (offered.length === 0) return { ok: false, reason: 'invalid' }

  const expected = secrets.map((secret) => mac(secret, request))
  // Compare every pair (no early exit) so timing does not reveal which secret matched.
  let matched = false
  for (const candidate of offered) {
    for (const digest of expected) {
      if (timingSafeEqual(candidate, digest)) matched = true
    }
  }
  return matched ? { ok: true } : { ok: false, reason: 'invalid' }
}
