import { parseMediaVerb, type MediaVerb } from '../cxml/verbs.ts'
import { parseConference, type ConferenceNoun } from '../conference/noun.ts'
import { recordsDial } from '../cxml/dial_recording.ts'

/**
 * CXML (Cloudonix's TwiML dialect): Dial (Number/Sip nouns, in parallel), Hangup, Reject,
 * Pause, Redirect here; the media verbs (Say, Play, Gather, Record) in cxml/verbs.ts. The parser is deliberately
 * tiny and strict: elements, attributes, text, entities — no DTDs, no processing beyond
 * the XML declaration, so a hostile document cannot expand or recurse.
 */

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

export class CxmlError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CxmlError'
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)))
    return ENTITIES[entity] ?? whole
  })
}

export function parseXml(source: string, maxBytes = 65_536): XmlElement {
  if (source.length > maxBytes) throw new CxmlError('document too large')
  const text = source.replace(/^\uFEFF?\s*<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '')
  if (/<!DOCTYPE|<!ENTITY|<\?/i.test(text))
    throw new CxmlError('DTDs and processing instructions are not allowed')
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' }
  const stack: XmlElement[] = [root]
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g
  let last = 0
  let match: RegExpExecArray | null
  while ((match = tag.exec(text)) !== null) {
    const between = text.slice(last, match.index)
    if (between.includes('<')) throw new CxmlError('malformed markup')
    stack.at(-1)!.text += decode(between)
    last = tag.lastIndex
    const [, closing, name, rawAttributes, selfClosing] = match
    if (closing) {
      const open = stack.pop()
      if (!open || open.name !== name || stack.length === 0)
        throw new CxmlError(`unexpected </${name}>`)
      continue
    }
    const attributes: Record<string, string> = {}
    for (const attribute of rawAttributes.matchAll(/([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes[attribute[1]] = decode(attribute[2] ?? attribute[3])
    }
    const element: XmlElement = { name, attributes, children: [], text: '' }
    stack.at(-1)!.children.push(element)
    if (!selfClosing) {
      if (stack.length > 16) throw new CxmlError('nesting too deep')
      stack.push(element)
    }
  }
  if (text.slice(last).includes('<') || stack.length !== 1) throw new CxmlError('unclosed element')
  if (root.children.length !== 1) throw new CxmlError('expected exactly one root element')
  return root.children[0]
}

export type DialTarget = { kind: 'number'; number: string } | { kind: 'sip'; uri: string }

export type CxmlVerb =
  | {
      verb: 'Dial'
      timeoutSec: number
      targets: DialTarget[]
      /** `<Conference>`: the call joins a room instead of ringing targets. */
      conference: ConferenceNoun | null
      action: string | null
      method: 'GET' | 'POST'
      /** `record` asked for the bridged call to be recorded (dial_recording.ts). */
      record: boolean
    }
  | { verb: 'Hangup' }
  | { verb: 'Reject'; reason: 'busy' | 'rejected' | 'congestion' | 'failed' }
  | { verb: 'Pause'; lengthSec: number }
  | { verb: 'Redirect'; url: string; method: 'GET' | 'POST' }
  | { verb: 'Unsupported'; name: string }
  | MediaVerb

export function parseCxml(source: string, defaultDialTimeoutSec = 60): CxmlVerb[] {
  const root = parseXml(source)
  if (root.name !== 'Response')
    throw new CxmlError(`root element must be <Response>, got <${root.name}>`)
  return root.children.map((element): CxmlVerb => {
    switch (element.name) {
      case 'Dial': {
        const nouns = element.children.filter(
          (child) => child.name === 'Number' || child.name === 'Sip',
        )
        const targets: DialTarget[] = nouns.map((noun) =>
          noun.name === 'Number'
            ? { kind: 'number', number: noun.text.trim() }
            : { kind: 'sip', uri: noun.text.trim() },
        )
        // `<Dial>1002</Dial>` is shorthand for one Number noun.
        if (targets.length === 0 && element.text.trim() !== '')
          targets.push({ kind: 'number', number: element.text.trim() })
        const timeout = Number(element.attributes.timeout ?? defaultDialTimeoutSec)
        const room = element.children.find((child) => child.name === 'Conference')
        return {
          verb: 'Dial',
          timeoutSec:
            Number.isFinite(timeout) && timeout > 0
              ? Math.min(timeout, 600)
              : defaultDialTimeoutSec,
          targets,
          conference: room ? parseConference(room) : null,
          action: element.attributes.action ?? null,
          method: element.attributes.method?.toUpperCase() === 'GET' ? 'GET' : 'POST',
          record: recordsDial(element.attributes.record),
        }
      }
      case 'Hangup':
        return { verb: 'Hangup' }
      case 'Reject': {
        const reason = element.attributes.reason
        return {
          verb: 'Reject',
          reason:
            reason === 'busy' || reason === 'congestion' || reason === 'failed'
              ? reason
              : 'rejected',
        }
      }
      case 'Pause':
        return {
          verb: 'Pause',
          lengthSec: Math.min(Math.max(Number(element.attributes.length ?? 1) || 1, 0), 60),
        }
      case 'Redirect':
        return {
          verb: 'Redirect',
          url: element.text.trim(),
          method: element.attributes.method?.toUpperCase() === 'GET' ? 'GET' : 'POST',
        }
      default:
        return parseMediaVerb(element) ?? { verb: 'Unsupported', name: element.name }
    }
  })
}

/** §6.4 Reject mapping: busy → 486, rejected → 603, congestion → 503, failed → 500. */
export function rejectStatus(reason: 'busy' | 'rejected' | 'congestion' | 'failed'): number {
  return { busy: 486, rejected: 603, congestion: 503, failed: 500 }[reason]
}
