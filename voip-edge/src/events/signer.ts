/**
 * Edge → app request signing (contract §6.2, layer 2): HMAC-SHA256 over
 * `<timestamp>.<request-id>.<METHOD>.<path-and-query>.<raw body>`. The request id stays the
 * same across retries of one logical message (the app dedupes on it); the timestamp and
 * signature are renewed on every attempt.
 */
import { createHmac } from 'node:crypto'

export function signEdgeRequest(
  secret: string,
  timestamp: number,
  requestId: string,
  method: string,
  pathAndQuery: string,
  body: string,
): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.${requestId}.${method}.${pathAndQuery}.${body}`)
    .digest('hex')
}

export function signedHeaders(
  secret: string,
  requestId: string,
  method: string,
  url: URL,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000)
  return {
    'x-edge-request-id': requestId,
    'x-edge-timestamp': String(timestamp),
    'x-edge-signature': `v1=${signEdgeRequest(secret, timestamp, requestId, method, url.pathname + url.search, body)}`,
  }
}
