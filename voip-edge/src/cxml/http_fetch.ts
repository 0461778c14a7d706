/**
 * The edge's blocking HTTP requests (CXML documents, prompt downloads, recording uploads)
 * with the contract's budget (§6.3): a connect timeout (3 s) separate from the total
 * timeout (8 s), and a cap on the response size, so a slow or huge answer cannot hold a
 * call — or the edge's memory — hostage. Built on node:http because fetch() has no
 * connect timeout without undici's dispatcher.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface FetchLimits {
  connectTimeoutMs: number
  totalTimeoutMs: number
  maxBytes: number
}

export interface FetchResult {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

export class FetchError extends Error {
  readonly kind: 'connect' | 'timeout' | 'too-large' | 'network'
  constructor(kind: 'connect' | 'timeout' | 'too-large' | 'network', message: string) {
    super(message)
    this.name = 'FetchError'
    this.kind = kind
  }
}

export function httpFetch(
  url: URL,
  options: {
    method: string
    headers?: Record<string, string>
    body?: Buffer | string
    limits: FetchLimits
  },
): Promise<FetchResult> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new FetchError('network', `unsupported URL scheme ${url.protocol}`))
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<FetchResult>((resolve, reject) => {
    let settled = false
    const fail = (error: FetchError) => {
      if (settled) return
      settled = true
      clearTimeout(connectTimer)
      clearTimeout(totalTimer)
      req.destroy()
      reject(error)
    }
    const req = send(url, {
      method: options.method,
      headers: {
        ...options.headers,
        ...(options.body === undefined
          ? {}
          : { 'content-length': Buffer.byteLength(options.body) }),
      },
      agent: false,
    })
    const connectTimer = setTimeout(
      () => fail(new FetchError('connect', `connect to ${url.host} timed out`)),
      options.limits.connectTimeoutMs,
    )
    const totalTimer = setTimeout(
      () => fail(new FetchError('timeout', `${url.host} did not answer in time`)),
      options.limits.totalTimeoutMs,
    )
    req.on('socket', (socket) => {
      const connected = () => clearTimeout(connectTimer)
      if (!socket.connecting) connected()
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected)
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND'
      fail(new FetchError(refused ? 'connect' : 'network', error.message))
    })
    req.on('response', (response) => {
      const chunks: Buffer[] = []
      let size = 0
      const declared = Number(response.headers['content-length'] ?? 0)
      if (declared > options.limits.maxBytes) {
        fail(new FetchError('too-large', `response of ${declared} bytes is over the limit`))
        return
      }
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > options.limits.maxBytes)
          fail(new FetchError('too-large', `response is over ${options.limits.maxBytes} bytes`))
        else chunks.push(chunk)
      })
      response.on('error', (error) => fail(new FetchError('network', error.message)))
      response.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(connectTimer)
        clearTimeout(totalTimer)
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        })
      })
    })
    req.end(options.body)
  })
}
