export const EXTENSION_TYPES = [
  'user',
  'conference',
  'ring_group',
  'ivr',
  'ai_assistant',
  'forward',
] as const
export type ExtensionType = (typeof EXTENSION_TYPES)[number]

export const EXTENSION_STATUSES = ['active', 'inactive'] as const
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number]

export const FORWARDING_CONDITIONS = ['always', 'busy', 'noAnswer', 'unreachable'] as const
export type ForwardingCondition = (typeof FORWARDING_CONDITIONS)[number]

export type ForwardingRule = {
  enabled: boolean
  destination: string | null
  timeoutSeconds?: number
}
export type Forwarding = Record<ForwardingCondition, ForwardingRule>
export type FollowMe = { enabled: boolean; numbers: { number: string; ringSeconds: number }[] }

/* What an extension does before anyone configured it: nothing is forwarded or followed. */
export function defaultForwarding(): Forwarding {
  return {
    always: { enabled: false, destination: null },
    busy: { enabled: false, destination: null },
    noAnswer: { enabled: false, destination: null, timeoutSeconds: 20 },
    unreachable: { enabled: false, destination: null },
  }
}

export function defaultFollowMe(): FollowMe {
  return { enabled: false, numbers: [] }
}

/* configuration.record_calls of a user extension: follow the organization, or override it. */
export const RECORD_CALLS = ['default', 'always', 'never'] as const
