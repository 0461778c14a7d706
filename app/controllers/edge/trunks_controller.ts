import { BlockList, isIP } from 'node:net'
import type { HttpContext } from '@adonisjs/core/http'
import Organization from '#models/organization'
import OutboundRoute from '#models/outbound_route'
import OutboundRule from '#models/outbound_rule'
import Trunk from '#models/trunk'
import ApiException from '#exceptions/api_exception'
import { outboundSuspensionOf } from '#services/fraud/outbound_suspension'

/**
 * What voip-edge needs to carry trunk calls: a tenant's outbound plan (routes with their
 * ordered trunks, fraud rules, trunk credentials) to place calls through carriers and
 * re-check toll fraud itself; the registration trunks it must keep registered; and which
 * tenant an IP-authenticated carrier's INVITE belongs to. Only active tenants answer.
 */
export default class EdgeTrunksController {
  async plan({ params }: HttpContext) {
    const organization = await Organization.query()
      .where('id', Number(params.organizationId) || 0)
      .where('status', 'active')
      .whereNull('deleted_at')
      .first()
    if (!organization) throw ApiException.notFound('Organization')
    const [routes, rules, suspension] = await Promise.all([
      OutboundRoute.query()
        .withScopes((scope) => scope.forOrganization(organization))
        .whereNull('deleted_at')
        .where('enabled', true)
        .preload('trunks', (q) => q.whereNull('trunks.deleted_at').where('trunks.enabled', true)),
      OutboundRule.query()
        .withScopes((scope) => scope.forOrganization(organization))
        .whereNull('deleted_at'),
      outboundSuspensionOf(organization.id),
    ])
    const trunks = new Map<number, Trunk>()
    for (const route of routes) for (const trunk of route.trunks) trunks.set(trunk.id, trunk)
    return {
      routes: routes.map((route) => ({
        id: String(route.id),
        prefix: route.prefix,
        minLength: route.minLength,
        maxLength: route.maxLength,
        stripDigits: route.stripDigits,
        prepend: route.prepend,
        priority: route.priority,
        trunkIds: route.trunks.map((trunk) => String(trunk.id)),
      })),
      rules: rules.map((rule) => ({ kind: rule.kind, prefix: rule.prefix })),
      trunks: [...trunks.values()].filter((trunk) => trunk.host).map(edgeTrunk),
      // Toll-fraud guard: while set, the edge refuses every outbound call of the tenant.
      outboundSuspension: suspension,
    }
  }

  async registrationTrunks() {
    const trunks = await Trunk.platformQuery(
      'voip-edge keeps every tenant registration trunk registered',
    )
      .where('kind', 'register')
      .where('enabled', true)
      .whereNull('deleted_at')
      .whereNotNull('host')
      .whereIn('organization_id', (q) =>
        q.from('organizations').select('id').where('status', 'active').whereNull('deleted_at'),
      )
      .orderBy('id')
    return {
      trunks: trunks.map((trunk) => ({
        ...edgeTrunk(trunk),
        organizationId: String(trunk.organizationId),
      })),
    }
  }

  /**
   * The IP-authenticated trunk whose allowed CIDRs hold `ip`: the most specific range wins,
   * then the trunk's priority (lower first), then the older trunk.
   */
  async bySource({ params }: HttpContext) {
    const ip = String(params.ip).replace(/^::ffff:/i, '')
    const family = isIP(ip)
    if (family === 0) throw ApiException.notFound('Trunk')
    const trunks = await Trunk.platformQuery(
      'an INVITE source address names the tenant before anything else is known',
    )
      .where('kind', 'ip')
      .where('enabled', true)
      .whereNull('deleted_at')
      .whereIn('organization_id', (q) =>
        q.from('organizations').select('id').where('status', 'active').whereNull('deleted_at'),
      )
      .orderBy('priority')
      .orderBy('id')
    let best: { trunk: Trunk; bits: number } | null = null
    for (const trunk of trunks) {
      for (const cidr of trunk.allowedCidrs) {
        const [address, bitsText] = cidr.split('/')
        const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
        if ((type === 'ipv6') !== (family === 6)) continue
        const bits = bitsText === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bitsText)
        const list = new BlockList()
        list.addSubnet(address, bits, type)
        if (list.check(ip, type) && (!best || bits > best.bits)) best = { trunk, bits }
      }
    }
    if (!best) throw ApiException.notFound('Trunk')
    const organization = await Organization.findOrFail(best.trunk.organizationId)
    return {
      organizationId: String(organization.id),
      trunkId: String(best.trunk.id),
      realm: organization.sipDomain,
    }
  }
}

function edgeTrunk(trunk: Trunk) {
  return {
    id: String(trunk.id),
    name: trunk.name,
    kind: trunk.kind,
    host: trunk.host,
    port: trunk.port,
    transport: trunk.transport,
    username: trunk.username,
    password: trunk.password,
    maxChannels: trunk.maxChannels,
    callerIdNumber: trunk.callerIdNumber,
    passCallerId: trunk.passCallerId,
    registerExpiry: trunk.registerExpiry,
  }
}
