/*
 * Route selection, pure: which enabled route takes a dialled string, and what that route
 * turns it into before it reaches a trunk.
 */

export type RouteShape = {
  prefix: string | null
  minLength: number | null
  maxLength: number | null
  stripDigits: number
  prepend: string | null
  priority: number
  enabled: boolean
  id: number
}

/* Lengths count digits only, so "+44…" and "0044…" are measured alike. */
const digitCount = (number: string) => number.replace(/\D/g, '').length

export function routeMatches(route: RouteShape, number: string) {
  if (!route.enabled) return false
  if (route.prefix && !number.startsWith(route.prefix)) return false
  const length = digitCount(number)
  if (route.minLength !== null && length < route.minLength) return false
  return route.maxLength === null || length <= route.maxLength
}

/** Lowest priority value wins; ties go to the older route so the choice is stable. */
export function selectRoute<R extends RouteShape>(routes: R[], number: string): R | null {
  const candidates = routes
    .filter((route) => routeMatches(route, number))
    .sort((a, b) => a.priority - b.priority || a.id - b.id)
  return candidates[0] ?? null
}

export function rewriteNumber(route: Pick<RouteShape, 'stripDigits' | 'prepend'>, number: string) {
  return `${route.prepend ?? ''}${number.slice(route.stripDigits)}`
}
