import { isIP } from 'node:net'

/** Exact-address and IPv4 CIDR matching for the operator allow/block lists. */
export class IpMatcher {
  readonly #exact = new Set<string>()
  readonly #ranges: Array<{ base: number; mask: number }> = []

  constructor(entries: string[]) {
    for (const entry of entries) {
      const [ip, bits] = entry.split('/')
      if (bits === undefined) this.#exact.add(ip.toLowerCase())
      else if (isIP(ip) === 4) {
        const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0
        this.#ranges.push({ base: (ipv4ToInt(ip) & mask) >>> 0, mask })
      }
    }
  }

  matches(address: string): boolean {
    const plain = address.toLowerCase().replace(/^::ffff:/, '')
    if (this.#exact.has(plain)) return true
    if (isIP(plain) !== 4) return false
    const value = ipv4ToInt(plain)
    return this.#ranges.some((range) => (value & range.mask) >>> 0 === range.base)
  }
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0)
}
