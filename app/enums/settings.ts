/** How calls reach this tenant: through real Cloudonix, or through our own voip-edge. */
export const TENANT_MODES = ['cloudonix', 'edge'] as const
export type TenantMode = (typeof TENANT_MODES)[number]

export const RECORDING_FORMATS = ['wav', 'mp3'] as const
export type RecordingFormat = (typeof RECORDING_FORMATS)[number]

export const CALL_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const
export type CallDirection = (typeof CALL_DIRECTIONS)[number]

export const CALL_STATUSES = [
  'initiated',
  'ringing',
  'answered',
  'completed',
  'busy',
  'no_answer',
  'failed',
  'canceled',
] as const
export type CallStatus = (typeof CALL_STATUSES)[number]
