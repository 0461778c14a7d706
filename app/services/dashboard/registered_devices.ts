import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import type Organization from '#models/organization'
import { extensionsOf } from '#services/extensions/extension_lookup'

export type DeviceCount = { devices: number; extensions: number }

export type Device = { contact: string; expiresAt: string; address: string | null }

type StoredBinding = {
  contact?: string
  expiresAt?: number
  source?: { address?: string; port?: number }
}

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
function liveBindings(values: string[], now: number): StoredBinding[] {
  const live: StoredBinding[] = []
  for (const raw of values) {
    try {
      const binding = JSON.parse(raw) as StoredBinding
      if (typeof binding.expiresAt === 'number' && binding.expiresAt > now) live.push(binding)
    } catch {
      // A field the edge did not write as JSON is not a registration.
    }
  }
  return live
}

const aorOf = (organization: Organization, e: { sipUsername: string | null; number: string }) =>
  `${e.sipUsername ?? e.number}@${organization.sipDomain}`

export default class RegisteredDevices {
  /** The phones registered for one extension now (the self-service "my devices" list). */
  async forExtension(
    organization: Organization,
    extension: { sipUsername: string | null; number: string },
    now = Date.now(),
  ): Promise<Device[]> {
    const values = await redis
      .connection()
      .ioConnection.hvals(bindingKey(organization.id, aorOf(organization, extension)))
    return liveBindings(values, now).map((b) => ({
      contact: b.contact ?? '',
      expiresAt: new Date(b.expiresAt!).toISOString(),
      address: b.source?.address ? `${b.source.address}:${b.source.port ?? ''}` : null,
    }))
  }

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
      const live = liveBindings(values as string[], now).length
      devices += live
      if (live > 0) registered += 1
    }
    return { devices, extensions: registered }
  }
}
