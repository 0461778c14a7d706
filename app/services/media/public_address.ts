import { BlockList, isIP } from 'node:net'

/*
 * Which IP addresses a server-side fetch may reach: only public unicast ones. Loopback,
 * private, link-local, unique-local, CGNAT, multicast, reserved and cloud metadata
 * addresses are refused, in IPv4 and IPv6, including IPv4 carried inside IPv6.
 */

const blocked = new BlockList()
const V4 = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT (Alibaba's metadata service lives here)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including 169.254.169.254 metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const
const V6 = [
  ['::', 128], // unspecified
  ['::1', 128],
  ['100::', 64], // discard
  ['2001:db8::', 32],
  ['fc00::', 7], // unique-local (also AWS's fd00:ec2::254 metadata)
  ['fe80::', 10],
  ['ff00::', 8], // multicast
] as const
for (const [net, prefix] of V4) blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of V6) blocked.addSubnet(net, prefix, 'ipv6')

/** The 8 16-bit groups of an IPv6 address (handles "::" and a dotted IPv4 tail). */
function groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number)
    text = text.replace(dotted[1], `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`)
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0')
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g, 16))
}

/** IPv4 carried inside IPv6: ::ffff:a.b.c.d mapped, ::a.b.c.d compatible, NAT64, 6to4. */
function embeddedV4(address: string): string | null {
  const g = groups(address)
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.')
  if (g[0] === 0x2002) return v4(g[1], g[2])
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0)
  const mapped = zeros(5) && g[5] === 0xffff
  const compatible = zeros(6) && (g[6] !== 0 || g[7] > 1)
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)
  if (!mapped && !compatible && !nat64) return null
  return v4(g[6], g[7])
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return !blocked.check(address, 'ipv4')
  if (family !== 6) return false
  const v4 = embeddedV4(address)
  if (v4) return !blocked.check(v4, 'ipv4')
  return !blocked.check(address, 'ipv6')
}

export function assertPublicAddress(address: string) {
  if (!isPublicAddress(address)) throw new Error(`Refusing non-public address ${address}`)
}
