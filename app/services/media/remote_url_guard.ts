import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { isPublicAddress } from '#services/media/public_address'

/*
 * SSRF guard for remote prompts. The media engine (not the browser) fetches these URLs
 * from inside our network, so a URL naming a loopback, private, link-local or cloud
 * metadata address would let a tenant read internal services. Every address the host
 * resolves to must be public. Whoever fetches later must call `assertPublicAddress` (public_address.ts) on
 * the address actually connected to, because DNS can change between now and then.
 */

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain)$|^metadata(\.|$)/i

/* A slow resolver must not hold the request (and a worker) for the OS default timeout. */
const LOOKUP_MS = 3000
function withTimeout<T>(promise: Promise<T>, ms: number) {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS lookup timed out')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Why a remote prompt URL is refused, or null when it is acceptable. IP literals are
 * judged as written; host names by every address DNS returns for them.
 */
type Resolver = (host: string) => Promise<{ address: string }[]>
const systemResolver: Resolver = (host) =>
  withTimeout(lookup(host, { all: true, verbatim: true }), LOOKUP_MS)

export async function remoteUrlProblem(
  value: string,
  resolve: Resolver = systemResolver,
): Promise<string | null> {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'The URL is not valid'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Only http and https URLs'
  if (url.username || url.password) return 'The URL must not contain credentials'
  /* "localhost." is localhost: the root label must not slip past the name checks. */
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '')
  if (!host) return 'The URL has no host'
  const refused = 'The URL points at a private, loopback or reserved address'
  if (isIP(host)) return isPublicAddress(host) ? null : refused
  if (INTERNAL_NAMES.test(host)) return refused
  let addresses: { address: string }[]
  try {
    addresses = await resolve(host)
  } catch {
    return 'The URL host could not be resolved'
  }
  if (addresses.length === 0) return 'The URL host could not be resolved'
  return addresses.every((a) => isPublicAddress(a.address)) ? null : refused
}
