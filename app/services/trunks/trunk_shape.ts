import { errors } from '@vinejs/vine'
import type Trunk from '#models/trunk'

type Shape = Pick<
  Trunk,
  | 'kind'
  | 'host'
  | 'username'
  | 'password'
  | 'registerExpiry'
  | 'allowedCidrs'
  | 'passCallerId'
  | 'callerIdNumber'
>
/** Values a new trunk gets for the fields the request leaves out. */
export const TRUNK_DEFAULTS = {
  host: null,
  port: 5060,
  transport: 'udp',
  username: null,
  password: null,
  registerExpiry: null,
  allowedCidrs: [],
  codecs: ['PCMU', 'PCMA'],
  maxChannels: null,
  callerIdNumber: null,
  passCallerId: true,
  priority: 10,
  enabled: true,
} satisfies Partial<
  Shape & Pick<Trunk, 'port' | 'transport' | 'codecs' | 'maxChannels' | 'priority' | 'enabled'>
>

type FieldError = { field: string; message: string; rule: string }

/**
 * A trunk only carries the fields of its kind: switching kind drops the other kind's
 * credentials or ACL instead of keeping stale secrets around.
 */
export function fitToKind(trunk: Shape) {
  if (trunk.kind === 'ip') {
    trunk.username = null
    trunk.password = null
    trunk.registerExpiry = null
  } else {
    trunk.allowedCidrs = []
    trunk.registerExpiry = trunk.registerExpiry ?? 300
  }
}

/** Cross-field rules checked on the merged row, reported like any other 422 field error. */
export function assertTrunkShape(trunk: Shape) {
  const problems: FieldError[] = []
  const required = (field: string, why: string) =>
    problems.push({ field, message: `The ${field} field is required ${why}`, rule: 'requiredWhen' })
  if (trunk.kind === 'register') {
    if (!trunk.host) required('host', 'for a register trunk')
    if (!trunk.username) required('username', 'for a register trunk')
    if (!trunk.password) required('password', 'for a register trunk')
  } else if (trunk.allowedCidrs.length === 0) {
    required('allowedCidrs', 'for an IP-authenticated trunk')
  }
  if (!trunk.passCallerId && !trunk.callerIdNumber)
    required('callerIdNumber', "when the caller's id is not passed through")
  if (problems.length > 0) throw new errors.E_VALIDATION_ERROR(problems)
}
