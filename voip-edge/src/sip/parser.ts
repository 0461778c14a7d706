/**
 * Strict SIP message parser (RFC 3261 §7, §25). The limits exist because every byte here
 * comes from the Internet: a message is rejected before it can make us allocate or loop
 * without bound. A failure carries the status to answer with and, when the start line and
 * headers could be read, a partial request so the transport can still send a 400.
 */
import {
  type SipHeader,
  type SipMessage,
  type SipRequest,
  SINGLETON_HEADERS,
  LIST_HEADERS,
  canonicalHeaderName,
  getHeader,
  parseCSeq,
  splitList,
} from './message.ts'
import { parseNameAddr, parseUri, isToken, UriError } from './uri.ts'
import { parseVia } from './via.ts'

export interface ParseLimits {
  maxMessageBytes: number
  maxHeaders: number
  maxVia: number
}

export const DEFAULT_LIMITS: ParseLimits = { maxMessageBytes: 16_384, maxHeaders: 100, maxVia: 20 }

export class SipParseError extends Error {
  /** SIP status to answer with when a response is possible (400, 505, 513). */
  readonly status: number
  /** The request as far as it could be read; null when the input is not recognisably SIP. */
  readonly partial: SipRequest | null

  constructor(reason: string, status = 400, partial: SipRequest | null = null) {
    super(reason)
    this.name = 'SipParseError'
    this.status = status
    this.partial = partial
  }
}

const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) ([^ ]+) SIP\/(\d{1,3}\.\d{1,3})$/
const STATUS_LINE = /^SIP\/(\d{1,3}\.\d{1,3}) (\d+)(?: (.*))?$/
const HEADER_LINE = /^([^:\s]+)[ \t]*:[ \t]*(.*)$/

/**
 * @param datagram true for UDP: a missing Content-Length means "rest of the packet", and
 * bytes beyond Content-Length are discarded (§18.3).
 */
export function parseMessage(
  input: Buffer,
  limits: ParseLimits = DEFAULT_LIMITS,
  datagram = true,
): SipMessage {
  const oversized = input.length > limits.maxMessageBytes
  let start = 0
  // §7.5: CRLFs before the start line are ignored (keep-alives, stream resync).
  while (start < input.length && (input[start] === 0x0d || input[start] === 0x0a)) start++
  // Searched over the whole input (bounded by the transport) so an oversized request can
  // still be answered with 513.
  const headEnd = findHeaderEnd(input, start, input.length)
  if (headEnd === null) {
    throw new SipParseError(
      oversized ? 'message too large' : 'no blank line after headers',
      oversized ? 513 : 400,
    )
  }
  const headText = input.subarray(start, headEnd.index).toString('latin1').replace(/\r$/, '')
  const lines = headText.split(/\r?\n/)
  const startLine = lines[0]
  const message = parseStartLine(startLine)
  const partial = message.kind === 'request' ? message : null

  const headers = parseHeaderLines(lines.slice(1), limits, partial)
  message.headers = headers
  if (oversized) throw new SipParseError('message too large', 513, partial)

  const bodyStart = headEnd.index + headEnd.length
  const available = input.length - bodyStart
  const lengthText = getHeader(message, 'content-length')
  let bodyLength = available
  if (lengthText !== undefined) {
    if (!/^\d{1,9}$/.test(lengthText.trim()))
      throw new SipParseError('invalid Content-Length', 400, partial)
    bodyLength = Number(lengthText.trim())
    if (bodyLength > available)
      throw new SipParseError('body shorter than Content-Length', 400, partial)
  } else if (!datagram) {
    throw new SipParseError('Content-Length required on stream transports', 400, partial)
  }
  message.body = Buffer.from(input.subarray(bodyStart, bodyStart + bodyLength))
  validate(message, limits, partial)
  return message
}

function findHeaderEnd(
  input: Buffer,
  from: number,
  limit: number,
): { index: number; length: number } | null {
  for (let i = from; i < limit; i++) {
    if (input[i] !== 0x0a) continue
    if (input[i + 1] === 0x0a) return { index: i, length: 2 }
    if (input[i + 1] === 0x0d && input[i + 2] === 0x0a) return { index: i, length: 3 }
  }
  return null
}

function parseStartLine(line: string): SipMessage {
  const request = REQUEST_LINE.exec(line)
  if (request) {
    const message: SipRequest = {
      kind: 'request',
      method: request[1],
      uri: request[2],
      headers: [],
      body: Buffer.alloc(0),
    }
    if (request[3] !== '2.0')
      throw new SipParseError(`unsupported SIP version ${request[3]}`, 505, message)
    return message
  }
  const status = STATUS_LINE.exec(line)
  if (status) {
    if (status[1] !== '2.0') throw new SipParseError(`unsupported SIP version ${status[1]}`)
    const code = Number(status[2])
    if (status[2].length !== 3 || code < 100 || code > 699)
      throw new SipParseError(`bad status code ${status[2]}`)
    return {
      kind: 'response',
      status: code,
      reason: status[3] ?? '',
      headers: [],
      body: Buffer.alloc(0),
    }
  }
  throw new SipParseError('malformed start line')
}

function parseHeaderLines(
  lines: string[],
  limits: ParseLimits,
  partial: SipRequest | null,
): SipHeader[] {
  const headers: SipHeader[] = []
  let duplicate: string | null = null
  for (const line of lines) {
    // A bare CR would survive into relayed headers and split them on the next hop.
    if (line.includes('\r')) throw new SipParseError('bare CR in header section', 400, partial)
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // §7.3.1 line folding: a continuation line belongs to the previous header value.
      const last = headers.at(-1)
      if (!last) throw new SipParseError('continuation line before any header', 400, partial)
      last.value = `${last.value} ${line.trim()}`.trim()
      continue
    }
    const match = HEADER_LINE.exec(line)
    if (!match || !isToken(match[1]))
      throw new SipParseError(`malformed header line "${line.slice(0, 40)}"`, 400, partial)
    if (headers.length >= limits.maxHeaders)
      throw new SipParseError('too many headers', 400, partial)
    const name = canonicalHeaderName(match[1])
    // Checked before Content-Length is used: two lengths make framing ambiguous (smuggling).
    // The rest of the headers is still read so that the 400 can carry CSeq, To, etc.
    if (SINGLETON_HEADERS.has(name) && headers.some((header) => header.name === name)) {
      duplicate ??= `duplicate ${name} header`
      continue
    }
    headers.push({ name, value: match[2].trim() })
    if (partial) partial.headers = headers
  }
  if (duplicate !== null) throw new SipParseError(duplicate, 400, partial)
  return headers
}

function validate(message: SipMessage, limits: ParseLimits, partial: SipRequest | null): void {
  const fail = (reason: string): never => {
    throw new SipParseError(reason, 400, partial)
  }
  let viaCount = 0
  for (const header of message.headers) {
    if (header.name === 'via') {
      for (const entry of splitList(header.value)) {
        viaCount++
        if (viaCount > limits.maxVia) fail('too many Via entries')
        guard(() => parseVia(entry), fail)
      }
    }
    if (LIST_HEADERS.has(header.name) && header.value === '' && header.name !== 'supported')
      fail(`empty ${header.name} header`)
  }
  for (const required of ['via', 'from', 'to', 'call-id', 'cseq']) {
    if (!message.headers.some((header) => header.name === required))
      fail(`missing ${required} header`)
  }
  const callId = getHeader(message, 'call-id')!
  if (callId === '' || /\s/.test(callId)) fail('invalid Call-ID')
  const cseq = parseCSeq(getHeader(message, 'cseq')!)
  if (!cseq) fail('invalid CSeq')
  for (const name of ['from', 'to']) {
    guard(
      () => parseNameAddr(getHeader(message, name)!),
      (reason) => fail(`invalid ${name} header: ${reason}`),
    )
  }
  const maxForwards = getHeader(message, 'max-forwards')
  if (maxForwards !== undefined && (!/^\d{1,6}$/.test(maxForwards) || Number(maxForwards) > 255)) {
    fail('invalid Max-Forwards')
  }
  const expires = getHeader(message, 'expires')
  if (expires !== undefined && !/^\d{1,10}$/.test(expires)) fail('invalid Expires')
  if (message.kind === 'request') {
    guard(
      () => parseUri(message.uri),
      (reason) => fail(`invalid Request-URI: ${reason}`),
    )
    if (cseq!.method !== message.method) fail('CSeq method does not match the request method')
    if (message.method === 'INVITE' || message.method === 'REGISTER') {
      for (const value of message.headers.filter((h) => h.name === 'contact').map((h) => h.value)) {
        for (const entry of splitList(value)) {
          if (entry !== '*')
            guard(
              () => parseNameAddr(entry),
              (reason) => fail(`invalid Contact: ${reason}`),
            )
        }
      }
    }
  }
}

function guard(action: () => unknown, fail: (reason: string) => never): void {
  try {
    action()
  } catch (error) {
    if (error instanceof UriError || error instanceof URIError) fail(error.message)
    throw error
  }
}
