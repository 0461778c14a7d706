/**
 * Via header handling (RFC 3261 §18.2.1, §20.42) and symmetric response routing (RFC 3581).
 */
import { parseParams, type Params, UriError, formatParams } from './uri.ts'

export interface Via {
  protocol: string
  transport: string
  host: string
  port: number | null
  params: Params
}

export const MAGIC_COOKIE = 'z9hG4bK'

export function parseVia(text: string): Via {
  const match =
    /^SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*([A-Za-z0-9-]+)[ \t]+([^;]+?)[ \t]*(?:;(.*))?$/i.exec(
      text.trim(),
    )
  if (!match) throw new UriError('malformed Via')
  const sentBy = match[2].trim()
  const bracket = /^(\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/.exec(sentBy)
  const plain = /^([A-Za-z0-9.-]+)(?:[ \t]*:[ \t]*(\d{1,5}))?$/.exec(sentBy)
  const hostMatch = bracket ?? plain
  if (!hostMatch) throw new UriError(`malformed Via sent-by "${sentBy}"`)
  const port = hostMatch[2] === undefined ? null : Number(hostMatch[2])
  if (port !== null && port > 65535) throw new UriError('Via port out of range')
  const params = parseParams(match[3] ?? '', 'Via')
  const rport = params.get('rport')
  if (rport !== undefined && rport !== null && !/^\d{1,5}$/.test(rport))
    throw new UriError('bad rport')
  return {
    protocol: 'SIP/2.0',
    transport: match[1].toUpperCase(),
    host: hostMatch[1].toLowerCase(),
    port,
    params,
  }
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`
  return `SIP/2.0/${via.transport} ${via.host}${port}${formatParams(via.params)}`
}

export function branchOf(via: Via): string | null {
  return via.params.get('branch') ?? null
}

/** §18.2.1: record where the request really came from, so responses reach NATed phones. */
export function stampReceived(via: Via, sourceAddress: string, sourcePort: number): Via {
  const params: Params = new Map(via.params)
  if (via.host !== sourceAddress.toLowerCase() || params.has('rport'))
    params.set('received', sourceAddress)
  if (params.has('rport')) params.set('rport', String(sourcePort))
  return { ...via, params }
}

/** §18.2.2 + RFC 3581: where a response to a request with this top Via must be sent. */
export function responseTarget(via: Via): { host: string; port: number } {
  const host = via.params.get('received') ?? via.host
  const rport = via.params.get('rport')
  const port = rport ? Number(rport) : (via.port ?? 5060)
  return { host, port }
}

export function newBranch(): string {
  return `${MAGIC_COOKIE}${crypto.randomUUID().replace(/-/g, '')}`
}
