/**
 * A tenant's outbound plan (routes, ordered trunks, toll-fraud rules) and the pure decision
 * the edge takes from it for one dialled number. The app owns the data and has the same
 * rules for its own checks; the edge applies them again at the moment it would send an
 * INVITE to a carrier, so CXML naming a premium number cannot get out (toll fraud).
 */

export interface OutboundTrunk {
  id: string
  name: string
  /** `register`: we register to the carrier; `ip`: the carrier knows our address. */
  kind: 'register' | 'ip'
  host: string
  port: number
  transport: 'udp' | 'tcp' | 'tls'
  username: string | null
  password: string | null
  /** Concurrent calls this trunk may carry (null = no limit). */
  maxChannels: number | null
  /** Caller number presented to the carrier when the caller's own may not pass. */
  callerIdNumber: string | null
  passCallerId: boolean
  /** Seconds between re-registrations the carrier should grant (registration trunks). */
  registerExpiry?: number | null
}

export interface OutboundRoute {
  id: string
  prefix: string | null
  minLength: number | null
  maxLength: number | null
  stripDigits: number
  prepend: string | null
  priority: number
  /** Trunk ids in the order they are tried. */
  trunkIds: string[]
}

export interface OutboundRule {
  kind: 'allow' | 'deny'
  /** E.164 prefix, e.g. "+44" or "+1900". */
  prefix: string
}

export interface OutboundPlan {
  routes: OutboundRoute[]
  rules: OutboundRule[]
  trunks: OutboundTrunk[]
  /** Set while the app's toll-fraud guard has suspended the tenant's outbound calling. */
  outboundSuspension?: { since: string; reason: string } | null
}

export type OutboundRefusal =
  | 'invalid_number'
  | 'denied_by_rule'
  | 'denied_by_default'
  | 'not_whitelisted'
  | 'no_route'
  | 'suspended'

export type OutboundDecision =
  | { allowed: true; dialledNumber: string; routeId: string; trunks: OutboundTrunk[] }
  | { allowed: false; reason: OutboundRefusal; matchedPrefix: string | null }

/**
 * Premium-rate and international-network ranges that are denied unless the tenant allows
 * them explicitly; the same list as the app's `DEFAULT_DENIED_PREFIXES`.
 */
export const DEFAULT_DENIED_PREFIXES = ['+1900', '+1976', '+870', '+881', '+882', '+883', '+979']

const normalise = (raw: string): string | null => {
  const compact = raw.trim().replace(/[\s().-]/g, '')
  return /^\+?\d{2,20}$/.test(compact) ? compact : null
}

const international = (number: string): string | null =>
  number.startsWith('+')
    ? number
    : number.startsWith('00') && number.length > 3
      ? `+${number.slice(2)}`
      : null

const longest = (prefixes: string[], number: string): string | null =>
  prefixes
    .filter((prefix) => number.startsWith(prefix))
    .reduce<string | null>((best, p) => (best && best.length >= p.length ? best : p), null)

function evaluate(
  number: string,
  rules: OutboundRule[],
): { allowed: boolean; reason: OutboundRefusal | 'allowed'; matchedPrefix: string | null } {
  const allows = rules.filter((r) => r.kind === 'allow').map((r) => r.prefix)
  const allow = longest(allows, number)
  const deny = longest(
    rules.filter((r) => r.kind === 'deny').map((r) => r.prefix),
    number,
  )
  const builtIn = longest(DEFAULT_DENIED_PREFIXES, number)
  if (deny && !(allow && allow.length > deny.length))
    return { allowed: false, reason: 'denied_by_rule', matchedPrefix: deny }
  if (builtIn && !(allow && allow.length >= builtIn.length))
    return { allowed: false, reason: 'denied_by_default', matchedPrefix: builtIn }
  if (allow) return { allowed: true, reason: 'allowed', matchedPrefix: allow }
  if (allows.length > 0) return { allowed: false, reason: 'not_whitelisted', matchedPrefix: null }
  return { allowed: true, reason: 'allowed', matchedPrefix: null }
}

/**
 * Route by prefix/length (lowest priority value first), rewrite (strip, prepend), then the
 * fraud rules on every international form of the call — as dialled and as rewritten — so a
 * route that adds an access code cannot smuggle a denied destination out.
 */
export function decideOutbound(plan: OutboundPlan, raw: string): OutboundDecision {
  // Refused whatever the number: a suspended tenant's CXML must not reach a carrier (403).
  if (plan.outboundSuspension) return { allowed: false, reason: 'suspended', matchedPrefix: null }
  const number = normalise(raw)
  if (number === null) return { allowed: false, reason: 'invalid_number', matchedPrefix: null }
  const digits = number.replace(/\D/g, '').length
  const route = plan.routes
    .filter(
      (r) =>
        (!r.prefix || number.startsWith(r.prefix)) &&
        (r.minLength === null || digits >= r.minLength) &&
        (r.maxLength === null || digits <= r.maxLength),
    )
    .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id, 'en', { numeric: true }))[0]
  const dialledNumber = route ? `${route.prepend ?? ''}${number.slice(route.stripDigits)}` : number
  const forms = [...new Set([number, dialledNumber].map(international))].filter(
    (form): form is string => form !== null,
  )
  for (const form of forms.length > 0 ? forms : [dialledNumber]) {
    const verdict = evaluate(form, plan.rules)
    if (!verdict.allowed)
      return {
        allowed: false,
        reason: verdict.reason as OutboundRefusal,
        matchedPrefix: verdict.matchedPrefix,
      }
  }
  const trunks = route
    ? route.trunkIds
        .map((id) => plan.trunks.find((trunk) => trunk.id === id))
        .filter((trunk) => trunk !== undefined)
    : []
  if (!route || trunks.length === 0)
    return { allowed: false, reason: 'no_route', matchedPrefix: null }
  return { allowed: true, dialledNumber, routeId: route.id, trunks }
}
