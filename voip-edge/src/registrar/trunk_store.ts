/**
 * IP-authenticated SIP trunks: a carrier is recognised by the source address of its INVITEs
 * (no digest), which also names the tenant it delivers calls to. The app provides the real
 * store; the in-memory one serves tests and demos.
 */
export interface Trunk {
  organizationId: string
  trunkId: string
  /** The tenant's SIP domain: where the called DID's routing and extensions live. */
  realm: string
}

export interface TrunkStore {
  bySourceIp(address: string): Promise<Trunk | null>
}

export class InMemoryTrunkStore implements TrunkStore {
  readonly #byIp: Map<string, Trunk>

  constructor(entries: Array<Trunk & { sourceIps: string[] }> = []) {
    this.#byIp = new Map(
      entries.flatMap((entry) =>
        entry.sourceIps.map(
          (ip) =>
            [
              ip,
              { organizationId: entry.organizationId, trunkId: entry.trunkId, realm: entry.realm },
            ] as const,
        ),
      ),
    )
  }

  async bySourceIp(address: string): Promise<Trunk | null> {
    return this.#byIp.get(address.replace(/^::ffff:/, '')) ?? null
  }
}
