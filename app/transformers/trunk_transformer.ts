import type Trunk from '#models/trunk'
import type OutboundRoute from '#models/outbound_route'
import type OutboundRule from '#models/outbound_rule'

/** The API shape of a trunk: the password is never included, only whether one is set. */
export function serializeTrunk(trunk: Trunk) {
  return {
    id: trunk.id,
    organizationId: trunk.organizationId,
    name: trunk.name,
    kind: trunk.kind,
    host: trunk.host,
    port: trunk.port,
    transport: trunk.transport,
    username: trunk.username,
    passwordSet: Boolean(trunk.password),
    registerExpiry: trunk.registerExpiry,
    allowedCidrs: trunk.allowedCidrs,
    codecs: trunk.codecs,
    maxChannels: trunk.maxChannels,
    priority: trunk.priority,
    callerIdNumber: trunk.callerIdNumber,
    passCallerId: trunk.passCallerId,
    enabled: trunk.enabled,
    createdAt: trunk.createdAt.toISO(),
    updatedAt: trunk.updatedAt.toISO(),
    deletedAt: trunk.deletedAt?.toISO() ?? null,
  }
}

/** Expects `trunks` preloaded (in route order). */
export function serializeOutboundRoute(route: OutboundRoute) {
  return {
    id: route.id,
    organizationId: route.organizationId,
    name: route.name,
    prefix: route.prefix,
    minLength: route.minLength,
    maxLength: route.maxLength,
    stripDigits: route.stripDigits,
    prepend: route.prepend,
    priority: route.priority,
    enabled: route.enabled,
    trunks: route.trunks.map((trunk) => ({
      id: trunk.id,
      name: trunk.name,
      enabled: trunk.enabled,
      position: Number(trunk.$extras.pivot_position),
    })),
    createdAt: route.createdAt.toISO(),
    updatedAt: route.updatedAt.toISO(),
    deletedAt: route.deletedAt?.toISO() ?? null,
  }
}

export function serializeOutboundRule(rule: OutboundRule) {
  return {
    id: rule.id,
    organizationId: rule.organizationId,
    kind: rule.kind,
    prefix: rule.prefix,
    description: rule.description,
    createdAt: rule.createdAt.toISO(),
    updatedAt: rule.updatedAt.toISO(),
    deletedAt: rule.deletedAt?.toISO() ?? null,
  }
}
