import env from '#start/env'
import PhoneNumber from '#models/phone_number'
import type Organization from '#models/organization'
import type { RoutingType } from '#enums/phone_numbers'
import { signedHeaders } from '../../../voip-edge/src/events/signer.js'
import { parseXml, type XmlElement } from '../../../voip-edge/src/routing/cxml.js'

export { makeExtension } from '#tests/functional/extensions/support'
export { makeRingGroup } from '#tests/functional/ring_groups/support'

const SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()

let sequence = 0

/** A DID of the organization routed to a target, as the phone-numbers API stores it. */
export async function makeDid(
  organization: Organization,
  routingType: RoutingType,
  routingTargetId: number | null,
  overrides: Partial<PhoneNumber> = {},
) {
  sequence += 1
  const row = await PhoneNumber.create({
    organizationId: organization.id,
    number: `+4940${String(sequence).padStart(7, '0')}`,
    friendlyName: null,
    status: 'active',
    trunkId: null,
    routingType,
    routingTargetId,
    ...overrides,
  })
  return row.number
}

export type VoiceAnswer = { status: number; contentType: string; xml: string; root: XmlElement }

/**
 * Exactly what voip-edge sends: a Cloudonix-shaped JSON body signed with its own signer.
 * The answer is parsed with the edge's own CXML parser, so it must be what the edge reads.
 */
export async function voice(
  path: string,
  fields: Record<string, unknown>,
  options: { form?: boolean; sign?: boolean; secret?: string; requestId?: string } = {},
): Promise<VoiceAnswer> {
  const url = new URL(path, `http://127.0.0.1:${env.get('PORT')}`)
  const body = options.form
    ? new URLSearchParams(fields as Record<string, string>).toString()
    : JSON.stringify({
        CallSid: 'a'.repeat(32),
        Direction: 'inbound',
        CallStatus: 'in-progress',
        ApiVersion: '1',
        ...fields,
      })
  const headers: Record<string, string> = {
    'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
    ...(options.sign === false
      ? {}
      : signedHeaders(
          options.secret ?? SECRET(),
          options.requestId ?? crypto.randomUUID(),
          'POST',
          url,
          body,
        )),
  }
  const response = await fetch(url, { method: 'POST', headers, body })
  const xml = await response.text()
  const contentType = response.headers.get('content-type') ?? ''
  const root = contentType.includes('xml')
    ? parseXml(xml)
    : { name: '', attributes: {}, children: [], text: '' }
  return { status: response.status, contentType, xml, root }
}

export const verbs = (element: XmlElement) => element.children.map((c) => c.name)

export function only(element: XmlElement, name: string) {
  const found = element.children.filter((c) => c.name === name)
  if (found.length !== 1) throw new Error(`expected one ${name} in ${verbs(element).join(',')}`)
  return found[0]
}

/** The query of a relative action URL, e.g. `/api/voice/ivr-input?menu=1&attempt=0`. */
export function actionOf(element: XmlElement) {
  const url = new URL(element.attributes.action, 'http://x')
  return { path: url.pathname, params: Object.fromEntries(url.searchParams) }
}

/** Follows an action URL the way the edge does, with the original call's fields plus more. */
export function follow(element: XmlElement, fields: Record<string, unknown>) {
  return voice(element.attributes.action, fields)
}
