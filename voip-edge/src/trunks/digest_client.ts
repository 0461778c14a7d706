/**
 * The client side of SIP digest (RFC 7616 / RFC 8760): builds the Authorization or
 * Proxy-Authorization value that answers a carrier's 401/407 challenge. Used for trunk
 * INVITEs and trunk REGISTERs; the credentials come from the trunk's configuration.
 */
import { randomBytes } from 'node:crypto'
import { computeResponse, parseAuthParams, type DigestAlgorithm } from '../registrar/digest.ts'

export interface ClientCredentials {
  username: string
  password: string
}

/**
 * Picks the strongest supported challenge (SHA-256 over MD5) among `challenges` and answers
 * it; null when none is a usable Digest challenge (unknown algorithm, auth-int only).
 */
export function answerChallenge(
  challenges: string[],
  credentials: ClientCredentials,
  request: { method: string; uri: string },
  nc = 1,
): string | null {
  const usable = challenges
    .map((value) => {
      const scheme = /^\s*Digest\s+/i.exec(value)
      if (!scheme) return null
      const params = parseAuthParams(value.slice(scheme[0].length))
      const algorithmText = (params.get('algorithm') ?? 'MD5').toUpperCase()
      const algorithm: DigestAlgorithm | null =
        algorithmText === 'MD5' ? 'MD5' : algorithmText === 'SHA-256' ? 'SHA-256' : null
      const realm = params.get('realm')
      const nonce = params.get('nonce')
      const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase())
      const qop = qops.includes('auth') ? 'auth' : qops.every((q) => q === '') ? null : undefined
      if (!algorithm || realm === undefined || !nonce || qop === undefined) return null
      return { algorithm, realm, nonce, qop, opaque: params.get('opaque') ?? null }
    })
    .filter((challenge) => challenge !== null)
    .sort((a, b) => (a.algorithm === b.algorithm ? 0 : a.algorithm === 'SHA-256' ? -1 : 1))
  const challenge = usable[0]
  if (!challenge) return null
  const cnonce = challenge.qop ? randomBytes(8).toString('hex') : null
  const ncText = challenge.qop ? nc.toString(16).padStart(8, '0') : null
  const response = computeResponse({
    algorithm: challenge.algorithm,
    username: credentials.username,
    realm: challenge.realm,
    password: credentials.password,
    method: request.method,
    uri: request.uri,
    nonce: challenge.nonce,
    qop: challenge.qop,
    nc: ncText,
    cnonce,
  })
  const quote = (text: string) => `"${text.replace(/(["\\])/g, '\\$1')}"`
  const parts = [
    `Digest username=${quote(credentials.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(request.uri)}`,
    `response=${quote(response)}`,
    `algorithm=${challenge.algorithm}`,
  ]
  if (challenge.qop) parts.push(`qop=auth`, `nc=${ncText}`, `cnonce=${quote(cnonce!)}`)
  if (challenge.opaque !== null) parts.push(`opaque=${quote(challenge.opaque)}`)
  return parts.join(', ')
}
