import type { SipRequest, SipResponse } from '../sip/message.ts'
import type { TransportProtocol } from '../transport/transport.ts'

/** Where a message goes: protocol plus address, and the flow to reuse when there is one. */
export interface Destination {
  protocol: TransportProtocol
  address: string
  port: number
  flowId?: string | null
}

/**
 * How the transaction layer hands a message to the wire (a Buffer is already serialized).
 * Errors are reported, not thrown.
 */
export type SendFunction = (
  message: SipRequest | SipResponse | Buffer,
  to: Destination,
) => Promise<void>

export type TransactionState =
  'calling' | 'trying' | 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated'

export interface ClientTransactionHandlers {
  /** `source` is where the response came from (a UAC answers challenges only from its peer). */
  onResponse(response: SipResponse, source?: Destination): void
  /** Timer B / F fired: the TU should act as if a 408 arrived (§8.1.3.1). */
  onTimeout(): void
  onTransportError(error: Error): void
}
