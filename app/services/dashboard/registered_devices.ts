import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import type Organization from '#models/organization'
import { extensionsOf } from '#services/extensions/extension_lookup'

export type DeviceCount = { devices: number; extensions: number }

/*
 * voip-edge's registrar keeps one Redis hash per (organization, AOR), one field per
 * contact, each a JSON binding with its expiry (voip-edge/src/registrar/binding_store.ts).
 * The AOR is `<user>@<organization SIP domain>`, the user being the extension's SIP user
 * name or, without one, its number.
 */
export function bindingKey(organizationId: number, aor: string) {
  return `${env.get('VOIP_EDGE_REDIS_PREFIX', 'voip-edge:')}reg:${organizationId}:${aor}`
}

/**
 * Phones registered right now: unexpired contacts, and how many extensions have at least
 * one. One pipelined round trip for all the organization's extensions; read-only (the
 * edge itself prunes expired contacts).
 */
export default class RegisteredDevices {
  async count(organization: Organization, now = Date.now()): Promise<DeviceCount> {
    const extensions = await extensionsOf(organization)
      .whereNull('deleted_at')
      .select('id', 'number', 'sip_username')
    if (extensions.length === 0) return { devices: 0, extensions: 0 }
    const pipeline = redis.connection().ioConnection.pipeline()
    for (const e of extensions)
      pipeline.hvals(
        bindingKey(organization.id, `${e.sipUsername ?? e.number}@${organization.sipDomain}`),
      )
    const results = (await pipeline.exec()) ?? []
    let devices = 0
    let registered = 0
    for (const [error, values] of results) {
      if (error) throw error
      const live = (values as string[]).filter((raw) => {
        try {
          return (JSON.parse(raw) as { expiresAt?: number }).expiresAt! > now
        } catch {
          return false
        }
      }).length
      devices += live
      if (live > 0) registered += 1
    }
    return { devices, extensions: registered }
  }
}
