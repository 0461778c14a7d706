import type { OutboundRuleKind } from '#enums/trunks'

/*
 * The toll-fraud guard, as a pure function of a number and the tenant's rules so it can be
 * tested exhaustively without a database. Prefixes are E.164 ("+44", "+1900").
 */

export type PolicyRule = { kind: OutboundRuleKind; prefix: string }

export type PolicyReason =
  'allowed' | 'allowed_by_rule' | 'denied_by_rule' | 'denied_by_default' | 'not_whitelisted'

export type PolicyDecision = {
  allowed: boolean
  reason: PolicyReason
  matchedPrefix: string | null
}

/**
 * Premium-rate and satellite/international-network ranges that fraudsters pump traffic to.
 * Denied for every tenant unless the tenant allows the range (or a longer prefix in it).
 */
export const DEFAULT_DENIED_PREFIXES = ['+1900', '+1976', '+870', '+881', '+882', '+883', '+979']

const SEPARATORS = /[\s().-]/g

/** Strips visual separators; null when what is left is not "+"? followed by 2–20 digits. */
export function normaliseNumber(raw: string): string | null {
  const compact = raw.trim().replace(SEPARATORS, '')
  return /^\+?\d{2,20}$/.test(compact) ? compact : null
}

/** "+…" as is, "00…" (international access code) as "+…", anything else has no E.164 form. */
export function internationalForm(number: string): string | null {
  if (number.startsWith('+')) return number
  if (number.startsWith('00') && number.length > 3) return `+${number.slice(2)}`
  return null
}

function longest(prefixes: string[], number: string) {
  return prefixes
    .filter((prefix) => number.startsWith(prefix))
    .reduce<string | null>((best, p) => (best && best.length >= p.length ? best : p), null)
}

/**
 * The longest deny prefix blocks unless a longer allow prefix matches (a tenant's own deny
 * also beats an allow of the same prefix; a built-in default yields to an allow of the same
 * prefix, since that allow names the range explicitly). With any allow rule present the
 * list is a whitelist: numbers no allow rule matches are blocked.
 */
export function evaluateOutbound(
  number: string,
  rules: PolicyRule[],
  defaults: string[] = DEFAULT_DENIED_PREFIXES,
): PolicyDecision {
  const target = internationalForm(number) ?? number
  const allows = rules.filter((r) => r.kind === 'allow').map((r) => r.prefix)
  const allow = longest(allows, target)
  const deny = longest(
    rules.filter((r) => r.kind === 'deny').map((r) => r.prefix),
    target,
  )
  const builtIn = longest(defaults, target)

  if (deny && !(allow && allow.length > deny.length))
    return { allowed: false, reason: 'denied_by_rule', matchedPrefix: deny }
  if (builtIn && !(allow && allow.length >= builtIn.length))
    return { allowed: false, reason: 'denied_by_default', matchedPrefix: builtIn }
  if (allow) return { allowed: true, reason: 'allowed_by_rule', matchedPrefix: allow }
  if (allows.length > 0) return { allowed: false, reason: 'not_whitelisted', matchedPrefix: null }
  return { allowed: true, reason: 'allowed', matchedPrefix: null }
}
