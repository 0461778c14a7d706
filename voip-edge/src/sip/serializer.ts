/**
 * Serialises messages with long header names and a Content-Length that always matches the
 * body, and builds responses that copy exactly the headers §8.2.6.2 requires.
 */
import { type SipMessage, type SipRequest, type SipResponse, prettyHeaderName } from './message.ts'

export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  603: 'Decline',
}

export function serialize(message: SipMessage): Buffer {
  const startLine =
    message.kind === 'request'
      ? `${message.method} ${message.uri} SIP/2.0`
      : `SIP/2.0 ${message.status} ${message.reason}`
  const lines = [startLine]
  for (const header of message.headers) {
    if (header.name === 'content-length') continue
    lines.push(`${prettyHeaderName(header.name)}: ${header.value}`)
  }
  lines.push(`Content-Length: ${message.body.length}`, '', '')
  const head = Buffer.from(lines.join('\r\n'), 'latin1')
  return message.body.length === 0 ? head : Buffer.concat([head, message.body])
}

export interface ResponseOptions {
  reason?: string
  /** Added to To when the request's To has no tag (a dialog-creating or final response). */
  toTag?: string
  headers?: Array<{ name: string; value: string }>
  body?: Buffer
}

/** §8.2.6.2: copy Via (all, in order), From, To, Call-ID, CSeq; add a To tag if missing. */
export function buildResponse(
  request: SipRequest,
  status: number,
  options: ResponseOptions = {},
): SipResponse {
  const headers: SipResponse['headers'] = []
  const copied = new Set<string>()
  for (const header of request.headers) {
    // Only the first copy of a singleton: a 400 for a duplicate Call-ID must not repeat it.
    if (header.name !== 'via' && copied.has(header.name)) continue
    if (
      header.name === 'via' ||
      header.name === 'from' ||
      header.name === 'call-id' ||
      header.name === 'cseq'
    ) {
      copied.add(header.name)
      headers.push({ ...header })
    } else if (header.name === 'to') {
      copied.add(header.name)
      const hasTag = /;\s*tag\s*=/i.test(header.value.slice(header.value.lastIndexOf('>') + 1))
      const value =
        !hasTag && options.toTag && status > 100
          ? `${header.value};tag=${options.toTag}`
          : header.value
      headers.push({ name: 'to', value })
    } else if (header.name === 'record-route' && status > 100 && status < 300) {
      headers.push({ ...header })
    }
  }
  for (const extra of options.headers ?? [])
    headers.push({ name: extra.name.toLowerCase(), value: extra.value })
  return {
    kind: 'response',
    status,
    reason: options.reason ?? REASON_PHRASES[status] ?? 'Unknown',
    headers,
    body: options.body ?? Buffer.alloc(0),
  }
}
