export const TRUNK_KINDS = ['register', 'ip'] as const
export type TrunkKind = (typeof TRUNK_KINDS)[number]

export const TRUNK_TRANSPORTS = ['udp', 'tcp', 'tls'] as const
export type TrunkTransport = (typeof TRUNK_TRANSPORTS)[number]

export const CODECS = ['PCMU', 'PCMA', 'G722', 'opus'] as const
export type Codec = (typeof CODECS)[number]

export const OUTBOUND_RULE_KINDS = ['allow', 'deny'] as const
export type OutboundRuleKind = (typeof OUTBOUND_RULE_KINDS)[number]
