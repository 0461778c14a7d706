/**
 * In-memory SIP message. Headers are kept as an ordered list of (canonical lowercase name,
 * raw value) pairs so that proxies/B2BUA legs can relay unknown headers untouched; the
 * structured views (URI, Via, name-addr) are parsed on demand by the helpers in this folder.
 */

export interface SipHeader {
  /** Lowercase long form (compact forms are expanded on parse). */
  name: string
  value: string
}

interface SipMessageBase {
  headers: SipHeader[]
  body: Buffer
}

export interface SipRequest extends SipMessageBase {
  kind: 'request'
  method: string
  uri: string
}

export interface SipResponse extends SipMessageBase {
  kind: 'response'
  status: number
  reason: string
}

export type SipMessage = SipRequest | SipResponse

/** RFC 3261 §7.3.3 compact forms plus the common extension ones (RFC 3265, 3515, 3892, 4028). */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  f: 'from',
  t: 'to',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  b: 'referred-by',
  x: 'session-expires',
}

/** Headers that may appear only once; a second copy makes the request ambiguous (→ 400). */
export const SINGLETON_HEADERS: ReadonlySet<string> = new Set([
  'call-id',
  'cseq',
  'from',
  'to',
  'content-length',
  'max-forwards',
  'content-type',
])

/** Headers whose value may be a comma-separated list of several entries (§7.3.1). */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
])

const PRETTY: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'www-authorization': 'WWW-Authorization',
}

export function canonicalHeaderName(raw: string): string {
  const lower = raw.toLowerCase()
  return COMPACT_FORMS[lower] ?? lower
}

export function prettyHeaderName(name: string): string {
  return (
    PRETTY[name] ??
    name.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase())
  )
}

export function getHeader(message: SipMessage, name: string): string | undefined {
  const wanted = canonicalHeaderName(name)
  return message.headers.find((header) => header.name === wanted)?.value
}

export function getHeaders(message: SipMessage, name: string): string[] {
  const wanted = canonicalHeaderName(name)
  return message.headers.filter((header) => header.name === wanted).map((header) => header.value)
}

export function setHeader(message: SipMessage, name: string, value: string): void {
  const wanted = canonicalHeaderName(name)
  const index = message.headers.findIndex((header) => header.name === wanted)
  if (index === -1) message.headers.push({ name: wanted, value })
  else {
    message.headers[index] = { name: wanted, value }
    message.headers = message.headers.filter((header, i) => i <= index || header.name !== wanted)
  }
}

export function removeHeader(message: SipMessage, name: string): void {
  const wanted = canonicalHeaderName(name)
  message.headers = message.headers.filter((header) => header.name !== wanted)
}

/** Splits a list header on top-level commas (not inside quotes or <...>). */
export function splitList(value: string): string[] {
  const parts: string[] = []
  let depthAngle = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (quoted) {
      if (ch === '\\') i++
      else if (ch === '"') quoted = false
    } else if (ch === '"') quoted = true
    else if (ch === '<') depthAngle++
    else if (ch === '>') depthAngle = Math.max(0, depthAngle - 1)
    else if (ch === ',' && depthAngle === 0) {
      parts.push(value.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(value.slice(start).trim())
  return parts.filter((part) => part !== '')
}

export interface CSeq {
  seq: number
  method: string
}

export function parseCSeq(value: string): CSeq | null {
  const match = /^(\d{1,10})[ \t]+([A-Za-z0-9.!%*_+`'~-]+)$/.exec(value.trim())
  if (!match) return null
  const seq = Number(match[1])
  if (seq > 2 ** 31 - 1) return null
  return { seq, method: match[2] }
}

/** Tag parameter of a From/To value, without a full name-addr parse (hot path). */
export function tagOf(value: string): string | undefined {
  const afterUri = value.includes('>') ? value.slice(value.lastIndexOf('>')) : value
  return /;\s*tag\s*=\s*([^;\s,]+)/i.exec(afterUri)?.[1]
}
