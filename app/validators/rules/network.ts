import { isIP } from 'node:net'
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/*
 * The widest ranges an IP-authenticated trunk may trust. Anything wider would let a large
 * part of the internet place calls billed to the tenant.
 */
const WIDEST_PREFIX = { 4: 16, 6: 32 } as const

/** An IPv4/IPv6 address or CIDR; a bare address becomes /32 or /128. Stored canonical. */
const cidrRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  const [address, bits, ...rest] = value.trim().toLowerCase().split('/')
  const family = isIP(address) as 0 | 4 | 6
  const max = family === 6 ? 128 : 32
  const length = bits === undefined ? max : Number(bits)
  if (family === 0 || rest.length > 0 || !/^\d{1,3}$/.test(String(length)) || length > max) {
    field.report('The {{ field }} field must be an IPv4 or IPv6 address or CIDR', 'cidr', field)
    return
  }
  if (length < WIDEST_PREFIX[family]) {
    field.report(
      `The {{ field }} field must not be wider than /${WIDEST_PREFIX[family]}`,
      'cidrWidth',
      field,
    )
    return
  }
  field.mutate(`${address}/${length}`, field)
})

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** A DNS name or an IP address (no scheme, no port: those have their own fields). */
const sipHostRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  if (isIP(value) === 0 && !HOSTNAME.test(value))
    field.report('The {{ field }} field must be a host name or IP address', 'sipHost', field)
})

export const cidr = () => vine.string().trim().use(cidrRule())
export const sipHost = () => vine.string().trim().toLowerCase().use(sipHostRule())

/** E.164: "+", a non-zero country code digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/
