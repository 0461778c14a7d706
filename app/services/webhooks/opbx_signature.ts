import { createHmac, timingSafeEqual } from 'node:crypto'
import { SIGNATURE_WINDOW_SECONDS, type VerifyResult } from '#services/webhooks/edge_signature'

/*
 * OPBX-compatible senders (opbx-inventory §4.1): `X-Cloudonix-Signature` is the lowercase
 * hex HMAC-SHA256 of the raw body alone, with the tenant's webhook secret. OPBX made the
 * timestamp optional; here `X-Cloudonix-Timestamp` (Unix seconds, ±300 s) is required,
 * because without it a captured request would verify forever. It is still not part of the
 * MAC (that is the OPBX format), so within the window only idempotency keys stop a replay:
 * senders that can should use the edge signature (contract §6.2), which covers everything.
 */

export type OpbxSignedRequest = {
  signature: string | undefined
  timestamp: string | undefined
  rawBody: string
}

export function opbxSignature(secret: string, rawBody: string) {
  return createHmac('sha256', secret).update(rawBody).digest('hex')
}

export function verifyOpbxSignature(
  request: OpbxSignedRequest,
  secrets: string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const { signature, timestamp } = request
  if (!signature || !timestamp || secrets.length === 0) return { ok: false, reason: 'missing' }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid' }
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, reason: 'skewed' }
  const offered = signature.trim().toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(offered)) return { ok: false, reason: 'invalid' }
  const candidate = Buffer.from(offered, 'hex')
  // Every secret is compared (no early exit): timing does not tell which one matched.
  let matched = false
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(request.rawBody).digest()
    if (timingSafeEqual(candidate, expected)) matched = true
  }
  return matched ? { ok: true } : { ok: false, reason: 'invalid' }
}
