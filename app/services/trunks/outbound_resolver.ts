import type Organization from '#models/organization'
import OutboundRoute from '#models/outbound_route'
import OutboundRule from '#models/outbound_rule'
import {
  evaluateOutbound,
  internationalForm,
  normaliseNumber,
  type PolicyDecision,
} from '#services/trunks/outbound_policy'
import { rewriteNumber, selectRoute } from '#services/trunks/outbound_route_matcher'

type Reason = PolicyDecision['reason'] | 'no_route' | 'no_enabled_trunk'

/**
 * What would happen to an outbound call to `raw`: the route and trunks it would take, the
 * number sent to the trunk, and whether the fraud rules let it out. The rules see every
 * international form of the call (as dialled and as rewritten by the route), so a route
 * that adds or strips an access code cannot smuggle a denied destination past them.
 */
export default class OutboundResolver {
  async resolve(organization: Organization, raw: string) {
    const number = normaliseNumber(raw)
    if (!number) throw new Error('resolve() expects a number that passed its validator')
    const [routes, rules] = await Promise.all([
      OutboundRoute.query()
        .withScopes((scope) => scope.forOrganization(organization))
        .whereNull('deleted_at')
        .where('enabled', true)
        .preload('trunks', (q) => q.whereNull('trunks.deleted_at').where('trunks.enabled', true)),
      OutboundRule.query()
        .withScopes((scope) => scope.forOrganization(organization))
        .whereNull('deleted_at'),
    ])
    const route = selectRoute(routes, number)
    const dialledNumber = route ? rewriteNumber(route, number) : number
    const forms = [...new Set([number, dialledNumber].map(internationalForm))].filter(
      (form): form is string => form !== null,
    )
    const decisions = (forms.length > 0 ? forms : [dialledNumber]).map((form) =>
      evaluateOutbound(form, rules),
    )
    const trunks = route?.trunks.map((trunk) => ({ id: trunk.id, name: trunk.name })) ?? []
    const blocked = decisions.find((decision) => !decision.allowed)
    let verdict: { allowed: boolean; reason: Reason; matchedPrefix: string | null }
    if (blocked) verdict = blocked
    else if (!route) verdict = { allowed: false, reason: 'no_route', matchedPrefix: null }
    else if (trunks.length === 0)
      verdict = { allowed: false, reason: 'no_enabled_trunk', matchedPrefix: null }
    else verdict = decisions.find((d) => d.reason === 'allowed_by_rule') ?? decisions[0]
    return {
      ...verdict,
      route: route ? { id: route.id, name: route.name } : null,
      trunks,
      dialledNumber,
    }
  }
}
