import { SimpleMessagesProvider } from '@vinejs/vine'

/* Words the console writes in capitals wherever they appear in a field name. */
const ACRONYMS: Record<string, string> = {
  api: 'API',
  cidr: 'CIDR',
  cidrs: 'CIDRs',
  cps: 'CPS',
  did: 'DID',
  dtmf: 'DTMF',
  id: 'ID',
  ip: 'IP',
  ivr: 'IVR',
  pin: 'PIN',
  sip: 'SIP',
  url: 'URL',
}

/**
 * "fallbackTargetId" → "fallback target", "members.0.extension_id" → "extension",
 * "sipPassword" → "SIP password": what a person reading a form error calls the field.
 * A trailing "id" names the thing referred to, so it goes (unless it is all there is).
 */
export function humanFieldName(path: string): string {
  const last =
    path
      .split('.')
      .reverse()
      .find((part) => part !== '' && !/^\d+$/.test(part) && part !== '*') ?? path
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
  if (words.length > 1 && words.at(-1) === 'id') words.pop()
  return words.map((word) => ACRONYMS[word] ?? word).join(' ')
}

/*
 * VineJS names fields by their key in error messages. Instead of a field map per validator,
 * every field's label is derived from its key; validators may still pass their own messages.
 */
export function humanMessagesProvider() {
  const labels = new Proxy({} as Record<string, string>, {
    get: (_, key) => (typeof key === 'string' ? humanFieldName(key) : undefined),
  })
  return new SimpleMessagesProvider({}, labels)
}
