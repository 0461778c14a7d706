import { createHash } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'

/*
 * Webhook replay protection and retry idempotency on Redis (SET NX, 24 h once answered). A sender that
 * retries with the same request id gets the first answer again without new side effects;
 * a duplicate that arrives while the first is still being handled gets 409; the same id
 * with a different body is refused (422). Bodies over 100 KB are not stored: a completed
 * duplicate then gets the status only.
 */

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
/**
 * A claim still "processing" expires much sooner: a web process killed mid-request (kill -9,
 * OOM) never releases it, and for a day every retry of that CDR would get 409 until the
 * sender gave up on it. Far longer than any handler runs (database timeouts are seconds);
 * should one overrun it, the unique indexes still keep a second delivery out.
 */
export const PROCESSING_TTL_SECONDS = 60
export const MAX_STORED_BODY_BYTES = 100 * 1024

export type StoredResponse = { status: number; contentType: string; body: string | null }

type Entry =
  { state: 'processing'; bodyHash: string } | ({ state: 'done'; bodyHash: string } & StoredResponse)

export type Claim =
  | { outcome: 'claimed' }
  | { outcome: 'completed'; response: StoredResponse }
  | { outcome: 'in_flight' }
  | { outcome: 'body_mismatch' }

export function bodyHash(rawBody: string) {
  return createHash('sha256').update(rawBody).digest('hex')
}

function keyFor(scope: string, id: string) {
  return `idem:${scope}:${id}`
}

export async function claim(scope: string, id: string, rawBody: string): Promise<Claim> {
  const hash = bodyHash(rawBody)
  const key = keyFor(scope, id)
  const entry: Entry = { state: 'processing', bodyHash: hash }
  const set = await redis.set(key, JSON.stringify(entry), 'EX', PROCESSING_TTL_SECONDS, 'NX')
  if (set === 'OK') return { outcome: 'claimed' }

  const existing = await redis.get(key)
  if (!existing) return claim(scope, id, rawBody) // expired between the two calls
  const stored = JSON.parse(existing) as Entry
  if (stored.bodyHash !== hash) return { outcome: 'body_mismatch' }
  if (stored.state === 'processing') return { outcome: 'in_flight' }
  return {
    outcome: 'completed',
    response: { status: stored.status, contentType: stored.contentType, body: stored.body },
  }
}

export async function complete(
  scope: string,
  id: string,
  rawBody: string,
  response: StoredResponse,
) {
  const storedBody =
    response.body !== null && Buffer.byteLength(response.body) <= MAX_STORED_BODY_BYTES
      ? response.body
      : null
  const entry: Entry = { state: 'done', bodyHash: bodyHash(rawBody), ...response, body: storedBody }
  await redis.set(keyFor(scope, id), JSON.stringify(entry), 'EX', IDEMPOTENCY_TTL_SECONDS)
}

/** A handler that failed releases its claim so the sender's retry is processed afresh. */
export async function release(scope: string, id: string) {
  await redis.del(keyFor(scope, id))
}
