/**
 * HTTP Digest maths for SIP (RFC 7616 with the SIP binding of RFC 8760): MD5 and SHA-256,
 * qop=auth only. auth-int and the -sess variants are not offered, so they are not accepted.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { DigestAlgorithm } from '../config.ts'

export type { DigestAlgorithm }

export interface DigestCredentials {
  username: string
  realm: string
  nonce: string
  uri: string
  response: string
  algorithm: DigestAlgorithm
  qop: string | null
  nc: string | null
  cnonce: string | null
  opaque: string | null
}

const NODE_HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' }
const HEX_LENGTH: Record<DigestAlgorithm, number> = { MD5: 32, 'SHA-256': 64 }

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(NODE_HASH[algorithm]).update(text, 'utf8').digest('hex')
}

export interface ResponseInput {
  algorithm: DigestAlgorithm
  username: string
  realm: string
  password: string
  method: string
  uri: string
  nonce: string
  qop: string | null
  nc: string | null
  cnonce: string | null
}

/** RFC 7616 §3.4.1 (qop=auth) and the RFC 2069 form when qop is absent. */
export function computeResponse(input: ResponseInput): string {
  const h = (text: string) => digestHash(input.algorithm, text)
  const ha1 = h(`${input.username}:${input.realm}:${input.password}`)
  const ha2 = h(`${input.method}:${input.uri}`)
  if (input.qop === null) return h(`${ha1}:${input.nonce}:${ha2}`)
  return h(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
}

export function responsesEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected.toLowerCase())
  const b = Buffer.from(actual.toLowerCase())
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Splits `a="x, y", b=z` into a map, honouring quoted commas and escapes. */
export function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>()
  const pattern = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*(?:,|$)/gy
  let match: RegExpExecArray | null
  while ((match = pattern.exec(text)) !== null) {
    params.set(
      match[1].toLowerCase(),
      match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3],
    )
    if (pattern.lastIndex >= text.length) break
  }
  return params
}

export function parseDigestAuthorization(value: string): DigestCredentials | null {
  const scheme = /^\s*Digest\s+/i.exec(value)
  if (!scheme) return null
  const params = parseAuthParams(value.slice(scheme[0].length))
  const algorithmText = (params.get('algorithm') ?? 'MD5').toUpperCase()
  const algorithm: DigestAlgorithm | null =
    algorithmText === 'MD5' ? 'MD5' : algorithmText === 'SHA-256' ? 'SHA-256' : null
  const username = params.get('username')
  const realm = params.get('realm')
  const nonce = params.get('nonce')
  const uri = params.get('uri')
  const response = params.get('response')
  if (!algorithm || !username || realm === undefined || !nonce || !uri || !response) return null
  if (!new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[algorithm]}}$`).test(response)) return null
  const qop = params.get('qop') ?? null
  const nc = params.get('nc') ?? null
  const cnonce = params.get('cnonce') ?? null
  if (qop !== null && (qop !== 'auth' || nc === null || !/^[0-9a-fA-F]{8}$/.test(nc) || !cnonce))
    return null
  return {
    username,
    realm,
    nonce,
    uri,
    response,
    algorithm,
    qop,
    nc,
    cnonce,
    opaque: params.get('opaque') ?? null,
  }
}

export function buildChallenge(options: {
  realm: string
  nonce: string
  algorithm: DigestAlgorithm
  stale: boolean
  opaque?: string
}): string {
  const parts = [
    `Digest realm="${options.realm}"`,
    `nonce="${options.nonce}"`,
    `algorithm=${options.algorithm}`,
    'qop="auth"',
  ]
  if (options.opaque) parts.push(`opaque="${options.opaque}"`)
  if (options.stale) parts.push('stale=true')
  return parts.join(', ')
}
