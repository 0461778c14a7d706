/*
 * CXML (Cloudonix's TwiML dialect) as data, rendered in one place that escapes every
 * attribute and text value. Callers never concatenate XML, so a caller name such as
 * `</Dial><Dial>+1900…` or an `<!ENTITY` can only ever be text.
 */

type Scalar = string | number | boolean | null | undefined

export type CxmlNode = {
  name: string
  attributes: Record<string, Scalar>
  children: (CxmlNode | string)[]
}

function node(
  name: string,
  attributes: Record<string, Scalar> = {},
  ...children: (CxmlNode | string)[]
): CxmlNode {
  return { name, attributes, children }
}

/* XML 1.0 forbids most control characters even when escaped; they are dropped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function escapeXml(value: string) {
  return value
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

function renderNode(n: CxmlNode | string): string {
  if (typeof n === 'string') return escapeXml(n)
  const attributes = Object.entries(n.attributes)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('')
  if (n.children.length === 0) return `<${n.name}${attributes}/>`
  return `<${n.name}${attributes}>${n.children.map(renderNode).join('')}</${n.name}>`
}

export function renderCxml(response: CxmlNode) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderNode(response)}`
}

type DialAttributes = {
  action?: string
  method?: 'GET' | 'POST'
  timeout?: number
  callerId?: string
  callerName?: string
  record?: string
  timeLimit?: number
  trunks?: string
}

type GatherAttributes = {
  action?: string
  method?: 'GET' | 'POST'
  input?: 'dtmf' | 'speech' | 'dtmf speech'
  numDigits?: number
  finishOnKey?: string
  timeout?: number
  maxTimeout?: number
  actionOnEmptyResult?: boolean
  language?: string
}

type ConferenceAttributes = {
  beep?: 'true' | 'false' | 'onEnter' | 'onExit'
  muted?: boolean
  startConferenceOnEnter?: 'true' | 'false' | 'required'
  endConferenceOnExit?: boolean
  maxParticipants?: number
  record?: 'do-not-record' | 'record-from-start'
  holdMusic?: boolean
  statusCallback?: string
}

type RecordAttributes = {
  action?: string
  method?: 'GET' | 'POST'
  maxLength?: number
  timeout?: number
  finishOnKey?: string
  playBeep?: boolean
  recordingStatusCallback?: string
}

export const cxml = {
  response: (...verbs: CxmlNode[]) => node('Response', {}, ...verbs),
  say: (text: string, attributes: { voice?: string; language?: string; loop?: number } = {}) =>
    node('Say', attributes, text),
  play: (url: string, attributes: { loop?: number } = {}) => node('Play', attributes, url),
  pause: (seconds: number) => node('Pause', { length: seconds }),
  dial: (attributes: DialAttributes, ...nouns: CxmlNode[]) => node('Dial', attributes, ...nouns),
  number: (number: string) => node('Number', {}, number),
  sip: (uri: string, attributes: { username?: string; password?: string } = {}) =>
    node('Sip', attributes, uri),
  conference: (room: string, attributes: ConferenceAttributes = {}) =>
    node('Conference', attributes, room),
  service: (
    number: string,
    attributes: { provider: string; username?: string; password?: string },
  ) => node('Service', attributes, number),
  header: (name: string, value: string) => node('Header', { name, value }),
  gather: (attributes: GatherAttributes, ...prompts: CxmlNode[]) =>
    node('Gather', attributes, ...prompts),
  record: (attributes: RecordAttributes) => node('Record', attributes),
  redirect: (url: string, method: 'GET' | 'POST' = 'POST') => node('Redirect', { method }, url),
  hangup: () => node('Hangup'),
  reject: (reason: 'rejected' | 'busy' | 'congestion' = 'rejected') => node('Reject', { reason }),
}
