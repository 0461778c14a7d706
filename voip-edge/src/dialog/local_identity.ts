import { randomBytes } from 'node:crypto'
import type { TransportProtocol } from '../transport/transport.ts'

/** How the edge names itself in Via and Contact, per transport (advertised host + bound port). */
export interface LocalIdentity {
  sentBy(protocol: TransportProtocol): string
  contact(protocol: TransportProtocol): string
}

export function newTag(): string {
  return randomBytes(6).toString('hex')
}

export function newCallId(host: string): string {
  return `${randomBytes(12).toString('hex')}@${host}`
}
