/**
 * SIP URI (RFC 3261 §19.1) and name-addr / addr-spec (§20.10, §25.1) parsing. Strict on
 * what can be abused (whitespace, brackets and bad escapes inside a URI, unbalanced quotes)
 * and tolerant of what real phones send (case of scheme/params, unknown params).
 */

export type Params = Map<string, string | null>

export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel'
  user: string | null
  password: string | null
  host: string
  port: number | null
  params: Params
  headers: string | null
}

export interface NameAddr {
  displayName: string | null
  uri: SipUri
  params: Params
}

export class UriError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UriError'
  }
}

const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/
const HOSTNAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/

export function isToken(text: string): boolean {
  return TOKEN.test(text)
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]+\]$/.test(host)
  return IPV4.test(host) || HOSTNAME.test(host)
}

/** Parses `;a=b;c` parameter lists (the text after the first ';'). */
export function parseParams(text: string, what: string): Params {
  const params: Params = new Map()
  if (text.trim() === '') return params
  for (const rawPart of splitOutsideQuotes(text, ';')) {
    const part = rawPart.trim()
    if (part === '') throw new UriError(`empty ${what} parameter`)
    const eq = part.indexOf('=')
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase()
    if (!TOKEN.test(name) && !/^[A-Za-z0-9.!%*_+`'~\-[\]/:&$]+$/.test(name)) {
      throw new UriError(`bad ${what} parameter name "${name}"`)
    }
    let value: string | null = eq === -1 ? null : part.slice(eq + 1).trim()
    if (value !== null && value.startsWith('"')) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(value))
        throw new UriError(`unbalanced quotes in ${what} parameter`)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1')
    } else if (value !== null && /[\s"<>]/.test(value)) {
      throw new UriError(`bad ${what} parameter value "${value}"`)
    }
    params.set(name, value)
  }
  return params
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = []
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted && ch === '\\') i++
    else if (ch === '"') quoted = !quoted
    else if (!quoted && ch === separator) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  if (quoted) throw new UriError('unbalanced quotes')
  parts.push(text.slice(start))
  return parts
}

export function parseUri(text: string): SipUri {
  if (text === '' || /[\s<>"]/.test(text))
    throw new UriError('URI contains whitespace, quotes or angle brackets')
  if (BAD_ESCAPE.test(text)) throw new UriError('URI contains an invalid %-escape')
  const colon = text.indexOf(':')
  if (colon === -1) throw new UriError('URI has no scheme')
  const scheme = text.slice(0, colon).toLowerCase()
  const rest = text.slice(colon + 1)
  if (scheme === 'tel') {
    const [number, ...params] = rest.split(';')
    if (!/^\+?[0-9A-Fa-f*#().\-]+$/.test(number)) throw new UriError('bad tel number')
    return {
      scheme,
      user: number,
      password: null,
      host: '',
      port: null,
      params: parseParams(params.join(';'), 'URI'),
      headers: null,
    }
  }
  if (scheme !== 'sip' && scheme !== 'sips')
    throw new UriError(`unsupported URI scheme "${scheme}"`)

  // The user part may itself contain '?' and ';' (§25.1 user-unreserved), so userinfo ends
  // at the first '@'; headers start at the first '?' after the host.
  const at = rest.indexOf('@')
  const userinfo = at === -1 ? null : rest.slice(0, at)
  const afterUser = at === -1 ? rest : rest.slice(at + 1)
  const question = afterUser.indexOf('?')
  const headers = question === -1 ? null : afterUser.slice(question + 1)
  const hostPart = question === -1 ? afterUser : afterUser.slice(0, question)
  let user: string | null = null
  let password: string | null = null
  if (userinfo !== null) {
    const pw = userinfo.indexOf(':')
    user = pw === -1 ? userinfo : userinfo.slice(0, pw)
    password = pw === -1 ? null : userinfo.slice(pw + 1)
    if (user === '') throw new UriError('empty user part')
  }
  const semi = hostPart.indexOf(';')
  const hostport = semi === -1 ? hostPart : hostPart.slice(0, semi)
  const params = parseParams(semi === -1 ? '' : hostPart.slice(semi + 1), 'URI')
  let host = hostport
  let port: number | null = null
  const portMatch = /^(.*?):(\d*)$/.exec(hostport)
  if (portMatch && !hostport.endsWith(']')) {
    host = portMatch[1]
    if (!/^\d{1,5}$/.test(portMatch[2]) || Number(portMatch[2]) > 65535)
      throw new UriError('bad port')
    port = Number(portMatch[2])
  }
  if (!validHost(host)) throw new UriError(`bad host "${host}"`)
  return { scheme, user, password, host: host.toLowerCase(), port, params, headers }
}

export function formatParams(params: Params): string {
  let out = ''
  for (const [name, value] of params) {
    if (value === null) out += `;${name}`
    else
      out +=
        TOKEN.test(value) || /^[\w.:[\]-]+$/.test(value)
          ? `;${name}=${value}`
          : `;${name}="${value.replace(/(["\\])/g, '\\$1')}"`
  }
  return out
}

export function formatUri(uri: SipUri): string {
  if (uri.scheme === 'tel') return `tel:${uri.user ?? ''}${formatParams(uri.params)}`
  let out = `${uri.scheme}:`
  if (uri.user !== null)
    out += uri.password !== null ? `${uri.user}:${uri.password}@` : `${uri.user}@`
  out += uri.host
  if (uri.port !== null) out += `:${uri.port}`
  out += formatParams(uri.params)
  if (uri.headers !== null) out += `?${uri.headers}`
  return out
}

/** Parses a From/To/Contact/Route entry: `"Name" <uri>;params`, `Name <uri>` or `uri;params`. */
export function parseNameAddr(text: string): NameAddr {
  const value = text.trim()
  const lt = indexOutsideQuotes(value, '<')
  if (lt === -1) {
    // addr-spec: header params begin at the first ';' (§20: URIs with ';' must use <>).
    const semi = value.indexOf(';')
    const uriText = (semi === -1 ? value : value.slice(0, semi)).trim()
    if (value.includes('"') || value.includes('>'))
      throw new UriError('unbalanced quotes or brackets')
    return {
      displayName: null,
      uri: parseUri(uriText),
      params: parseParams(semi === -1 ? '' : value.slice(semi + 1), 'header'),
    }
  }
  const gt = value.indexOf('>', lt)
  if (gt === -1) throw new UriError('missing ">"')
  const display = value.slice(0, lt).trim()
  let displayName: string | null = null
  if (display.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(display))
      throw new UriError('unbalanced or trailing text in quoted display name')
    displayName = display.slice(1, -1).replace(/\\(.)/g, '$1')
  } else if (display !== '') {
    // An unquoted display name is a sequence of tokens; anything else must be quoted.
    if (!display.split(/[ \t]+/).every((word) => TOKEN.test(word))) {
      throw new UriError('unquoted display name contains non-token characters')
    }
    displayName = display
  }
  const after = value.slice(gt + 1).trim()
  if (after !== '' && !after.startsWith(';')) throw new UriError('unexpected text after ">"')
  return {
    displayName,
    uri: parseUri(value.slice(lt + 1, gt)),
    params: parseParams(after.startsWith(';') ? after.slice(1) : '', 'header'),
  }
}

export function formatNameAddr(entry: NameAddr): string {
  const display =
    entry.displayName === null ? '' : `"${entry.displayName.replace(/(["\\])/g, '\\$1')}" `
  return `${display}<${formatUri(entry.uri)}>${formatParams(entry.params)}`
}

function indexOutsideQuotes(text: string, needle: string): number {
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted && ch === '\\') i++
    else if (ch === '"') quoted = !quoted
    else if (!quoted && ch === needle) return i
  }
  if (quoted) throw new UriError('unbalanced quotes')
  return -1
}

/** `user@host` key used for registrations; the user part is unescaped, the host lowercased. */
export function aorOf(uri: SipUri): string {
  const user = uri.user === null ? '' : decodeURIComponent(uri.user)
  return `${user}@${uri.host}`
}
