import { randomHex } from '../sip/random.ts'
import type { TransportProtocol } from '../transport/transport.ts'

/** How the edge names itself in Via and Contact, per transport (advertised host + bound port). */
export interface LocalIdentity {
  sentBy(protocol: TransportProtocol): string
  contact(protocol: TransportProtocol): string
}

export function newTag(): string {
  return randomHex(6)
}

export function newCallId(host: string): string {
  return `${randomHex(12)}@${host}`
}
