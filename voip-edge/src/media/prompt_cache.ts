/**
 * `<Play>` URLs fetched once and cached on disk (rtpengine plays files, not URLs). Limits:
 * http(s) only, a size cap and the connect/total budget, an audio (or octet-stream) type.
 * Addresses on loopback/private networks are refused unless they belong to an allowed
 * origin (the app itself, whose signed /files URLs carry tenant prompts), so a tenant's CXML
 * cannot make the edge probe its own network. Files are stored by content hash: the app's
 * signed URLs differ on every request, so URLs alone would fill the disk with copies; the
 * last URLs seen are remembered in memory (bounded) to skip repeat downloads.
 */
import { createHash, randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { BlockList, isIP } from 'node:net'
import { join } from 'node:path'
import { httpFetch, type FetchLimits } from '../cxml/http_fetch.ts'

const PRIVATE = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4')
PRIVATE.addSubnet('::1', 128, 'ipv6')
PRIVATE.addSubnet('fc00::', 7, 'ipv6')
PRIVATE.addSubnet('fe80::', 10, 'ipv6')

const EXTENSIONS: Record<string, string> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
}

export class PromptError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PromptError'
  }
}

export class PromptCache {
  readonly #dir: string
  readonly #limits: FetchLimits
  readonly #allowedOrigins: Set<string>
  readonly #pending = new Map<string, Promise<string>>()
  /** URL → file, most recent last; bounded so signed URLs cannot grow it without limit. */
  readonly #known = new Map<string, string>()
  fetched = 0

  constructor(options: { dir: string; limits: FetchLimits; allowedOrigins: string[] }) {
    this.#dir = join(options.dir, 'play')
    this.#limits = options.limits
    this.#allowedOrigins = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin))
  }

  /** The whole URL: a signed URL's query may be all that tells two files apart. */
  #key(url: URL): string {
    return createHash('sha256').update(url.href).digest('hex').slice(0, 40)
  }

  #remember(key: string, path: string): void {
    this.#known.delete(key)
    this.#known.set(key, path)
    if (this.#known.size > 5000) this.#known.delete(this.#known.keys().next().value!)
  }

  file(rawUrl: string, base: string | null): Promise<string> {
    let url: URL
    try {
      url = base ? new URL(rawUrl, base) : new URL(rawUrl)
    } catch {
      return Promise.reject(new PromptError(`not a URL: ${rawUrl.slice(0, 200)}`))
    }
    const key = this.#key(url)
    let pending = this.#pending.get(key)
    if (!pending) {
      pending = this.#ensure(url, key).finally(() => this.#pending.delete(key))
      this.#pending.set(key, pending)
    }
    return pending
  }

  async #ensure(url: URL, key: string): Promise<string> {
    const known = this.#known.get(key)
    if (known !== undefined) {
      try {
        const info = await stat(known)
        if (info.size > 0) {
          this.#remember(key, known)
          return known
        }
      } catch {
        this.#known.delete(key)
      }
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new PromptError(`unsupported scheme ${url.protocol}`)
    await this.#checkAddress(url)
    const response = await httpFetch(url, {
      method: 'GET',
      headers: { 'user-agent': 'voip-edge/0.1.0', accept: 'audio/*' },
      limits: this.#limits,
    })
    if (response.status !== 200) throw new PromptError(`prompt URL answered ${response.status}`)
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase()
    let extension = EXTENSIONS[type]
    if (!extension && (type === 'application/octet-stream' || type === '')) {
      const magic = response.body.subarray(0, 4).toString('latin1')
      extension = magic === 'RIFF' ? 'wav' : magic === 'OggS' ? 'ogg' : 'mp3'
    }
    if (!extension) throw new PromptError(`prompt URL is not audio (${type})`)
    await mkdir(this.#dir, { recursive: true })
    const content = createHash('sha256').update(response.body).digest('hex').slice(0, 40)
    const path = join(this.#dir, `${content}.${extension}`)
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`
    await writeFile(temporary, response.body)
    await rename(temporary, path)
    this.fetched++
    this.#remember(key, path)
    return path
  }

  async #checkAddress(url: URL): Promise<void> {
    if (this.#allowedOrigins.has(url.origin)) return
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const addresses =
      isIP(host) !== 0
        ? [{ address: host, family: isIP(host) }]
        : await lookup(host, { all: true }).catch(() => [])
    if (addresses.length === 0) throw new PromptError(`cannot resolve ${host}`)
    for (const { address, family } of addresses) {
      if (PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4'))
        throw new PromptError(`prompt URL points at a private address (${host})`)
    }
  }
}
