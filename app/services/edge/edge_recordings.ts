import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import Organization from '#models/organization'
import ApiException from '#exceptions/api_exception'
import storage, { signedFileUrl, tenantKey } from '#services/storage/storage'
import { verifyEdgeSignature } from '#services/webhooks/edge_signature'

/* A Record verb may run for an hour (3600 s of 8 kHz 16-bit WAV is 57.6 MB); voicemail is 3 min. */
export const MAX_RECORDING_BYTES = 60 * 1024 * 1024

/** Reads the request body up to `limit` bytes; 413 past it (the rest is not buffered). */
export async function readBody(request: IncomingMessage, limit = MAX_RECORDING_BYTES) {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limit) throw new ApiException(413, 'E_TOO_LARGE', 'The recording is too large')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > limit) throw new ApiException(413, 'E_TOO_LARGE', 'The recording is too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * The edge signs a binary upload through the body's SHA-256 (sent as X-Edge-Content-Sha256):
 * the signature must cover that digest, and the digest must be that of the bytes received.
 */
export function verifyRecordingUpload(
  headers: Record<string, string | undefined>,
  method: string,
  pathAndQuery: string,
  body: Buffer,
  secret: string,
) {
  const digest = createHash('sha256').update(body).digest('hex')
  const result = verifyEdgeSignature(
    {
      timestamp: headers['x-edge-timestamp'],
      requestId: headers['x-edge-request-id'],
      signature: headers['x-edge-signature'],
      method,
      pathAndQuery,
      rawBody: headers['x-edge-content-sha256'] ?? '',
    },
    [secret],
  )
  if (!result.ok)
    throw new ApiException(
      401,
      'E_WEBHOOK_SIGNATURE_INVALID',
      `Edge request signature ${result.reason}`,
    )
  if (headers['x-edge-content-sha256'] !== digest)
    throw new ApiException(400, 'E_BODY_DIGEST', 'The body does not match X-Edge-Content-Sha256', {
      details: [{ field: 'body', message: 'SHA-256 of the body differs from the signed digest' }],
    })
}

function isPcmWav(body: Buffer) {
  return (
    body.length > 44 &&
    body.toString('ascii', 0, 4) === 'RIFF' &&
    body.toString('ascii', 8, 12) === 'WAVE'
  )
}

/**
 * Stores a recording of an active organization and answers the signed /files/ URL the
 * Record action carries as RecordingUrl (the form the voicemail handler keeps).
 */
export async function storeEdgeRecording(organizationId: number, callId: string, body: Buffer) {
  if (!isPcmWav(body))
    throw new ApiException(422, 'E_VALIDATION', 'The recording must be a WAV file', {
      details: [{ field: 'body', message: 'Expected a RIFF/WAVE file' }],
    })
  const organization = await Organization.query()
    .where('id', organizationId)
    .where('status', 'active')
    .whereNull('deleted_at')
    .first()
  if (!organization) throw ApiException.notFound('Organization')
  const key = tenantKey(organization.id, 'recordings', 'wav')
  const size = await storage.put(key, body)
  const safeCall = callId.replace(/[^\w.-]/g, '_').slice(0, 80)
  const url = signedFileUrl(
    {
      organizationId: organization.id,
      key,
      mime: 'audio/wav',
      filename: `recording-${safeCall}.wav`,
    },
    '1h',
  )
  return { url, key, size }
}
