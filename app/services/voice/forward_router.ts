import type Extension from '#models/extension'
import OutboundResolver from '#services/trunks/outbound_resolver'
import { normaliseNumber } from '#services/trunks/outbound_policy'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { actionUrl, apology, extensionNoun, type VoiceCall } from '#services/voice/voice_call'
import { findExtension } from '#services/voice/target_router'
import logger from '@adonisjs/core/services/logger'
import { outboundSuspensionOf, recordOutboundCall } from '#services/fraud/toll_fraud_guard'

type Reach = { noun: CxmlNode } | { blocked: string }

/**
 * What dials a forwarding or follow-me destination: a SIP URI on the tenant's own domain,
 * another live user extension, or an outside number the tenant's outbound rules let out
 * (the toll-fraud guard applies to forwards exactly as to calls dialled from a phone).
 */
export async function reach(call: VoiceCall, destination: string): Promise<Reach> {
  if (destination.toLowerCase().startsWith('sip:')) {
    // One '@' only: "sip:x@tenant@evil" reads as host "evil" to a lenient parser.
    if (destination.split('@').length !== 2) return { blocked: 'foreign_sip_uri' }
    // The host alone: URI parameters and ports (`;transport=tcp`, `:5060`) do not change it.
    const host = destination
      .split('@')[1]
      ?.split(/[;:?>]/)[0]
      ?.toLowerCase()
    if (host !== call.organization.sipDomain.toLowerCase()) return { blocked: 'foreign_sip_uri' }
    // maddr (RFC 3261 §19.1.1) overrides the host for whoever sends the request: a URI
    // naming the tenant's domain could still be delivered anywhere.
    if (/;\s*maddr\s*=/i.test(destination)) return { blocked: 'foreign_sip_uri' }
    return { noun: cxml.sip(destination) }
  }
  const extension = await findExtension(call, { number: destination })
  if (extension) {
    const noun = extension.status === 'active' ? extensionNoun(call, extension) : null
    return noun ? { noun } : { blocked: 'extension_unavailable' }
  }
  const number = normaliseNumber(destination)
  if (!number) return { blocked: 'invalid_number' }
  if (await outboundSuspensionOf(call.organization.id)) return { blocked: 'outbound_suspended' }
  const verdict = await new OutboundResolver().resolve(call.organization, number)
  if (!verdict.allowed) return { blocked: verdict.reason }
  // The call that crosses the velocity limit is refused too: it is the fraud's, not the tenant's.
  if (await recordOutboundCall(call.organization.id, number))
    return { blocked: 'outbound_suspended' }
  // The number as dialled: voip-edge applies the route's strip/prepend itself when it sends
  // the INVITE to the trunk (and checks the fraud rules again), so it must not get it twice.
  return { noun: cxml.number(number) }
}

/**
 * Sends the caller of `owner` on to a forwarding destination. The Dial's result comes back
 * marked as forwarded, so an unanswered forward ends in the owner's voicemail instead of
 * being forwarded again.
 */
export async function forwardTo(call: VoiceCall, owner: Extension, destination: string) {
  const target = await reach(call, destination)
  if ('blocked' in target) {
    logger.warn(
      { requestId: call.requestId, organizationId: call.organization.id, reason: target.blocked },
      'call forward refused',
    )
    return apology('Sorry, this call cannot be forwarded. Goodbye.')
  }
  const action = actionUrl('dial-result', { extension: owner.id, forwarded: 1 })
  return cxml.response(cxml.dial({ timeout: call.noAnswerTimeout, action }, target.noun))
}
