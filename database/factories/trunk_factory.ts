import factory from '@adonisjs/lucid/factories'
import db from '@adonisjs/lucid/services/db'
import Trunk from '#models/trunk'
import OutboundRoute from '#models/outbound_route'
import OutboundRule from '#models/outbound_rule'

let sequence = 0
const next = () => ++sequence

/* Register trunks by default; `.apply('ip')` for an IP-authenticated one. */
export const TrunkFactory = factory
  .define(Trunk, () => {
    const n = next()
    return {
      name: `Trunk ${n}`,
      kind: 'register' as const,
      host: `sip${n}.carrier.example`,
      port: 5060,
      transport: 'udp' as const,
      username: `account${n}`,
      password: `trunk-secret-${n}`,
      registerExpiry: 300,
      allowedCidrs: [],
      codecs: ['PCMU' as const, 'PCMA' as const],
      maxChannels: null,
      priority: 10,
      callerIdNumber: null,
      passCallerId: true,
      enabled: true,
    }
  })
  .state('ip', (trunk) => {
    trunk.kind = 'ip'
    trunk.username = null
    trunk.password = null
    trunk.registerExpiry = null
    trunk.allowedCidrs = ['203.0.113.0/24']
  })
  .build()

export const OutboundRuleFactory = factory
  .define(OutboundRule, () => ({
    kind: 'deny' as const,
    prefix: `+${800 + (next() % 100)}${next()}`,
    description: null,
  }))
  .build()

export const OutboundRouteFactory = factory
  .define(OutboundRoute, () => ({
    name: `Route ${next()}`,
    prefix: null,
    minLength: null,
    maxLength: null,
    stripDigits: 0,
    prepend: null,
    priority: 10,
    enabled: true,
  }))
  .build()

/** Writes a route's ordered trunk list the way the API does (pivot rows with positions). */
export async function attachTrunks(route: OutboundRoute, trunks: Trunk[]) {
  await db.table('outbound_route_trunks').multiInsert(
    trunks.map((trunk, position) => ({
      organization_id: route.organizationId,
      outbound_route_id: route.id,
      trunk_id: trunk.id,
      position,
    })),
  )
}
