/**
 * Where SIP credentials come from. The edge only ever asks two questions: which tenant owns
 * this realm, and what is this user's password there. The app provides the production
 * implementation (PostgreSQL or a signed HTTP endpoint); the in-memory one serves tests and
 * the demo process.
 */

export interface RealmInfo {
  organizationId: string
}

export interface SipCredential {
  organizationId: string
  extensionId: string
  password: string
}

export interface CredentialStore {
  /** Tenant owning a SIP realm/domain, or null when the realm is unknown. */
  resolveRealm(realm: string): Promise<RealmInfo | null>
  /** Credential of `username` within `realm`, or null (unknown user). */
  lookup(realm: string, username: string): Promise<SipCredential | null>
}

export interface InMemoryTenant {
  organizationId: string
  realm: string
  extensions: Array<{ extensionId: string; username: string; password: string }>
}

export class InMemoryCredentialStore implements CredentialStore {
  readonly #tenants = new Map<string, InMemoryTenant>()

  constructor(tenants: InMemoryTenant[] = []) {
    this.replace(tenants)
  }

  /** Swaps the whole data set at once (reload). */
  replace(tenants: InMemoryTenant[]): void {
    this.#tenants.clear()
    for (const tenant of tenants) this.#tenants.set(tenant.realm.toLowerCase(), tenant)
  }

  async resolveRealm(realm: string): Promise<RealmInfo | null> {
    const tenant = this.#tenants.get(realm.toLowerCase())
    return tenant ? { organizationId: tenant.organizationId } : null
  }

  async lookup(realm: string, username: string): Promise<SipCredential | null> {
    const tenant = this.#tenants.get(realm.toLowerCase())
    const extension = tenant?.extensions.find((candidate) => candidate.username === username)
    if (!tenant || !extension) return null
    return {
      organizationId: tenant.organizationId,
      extensionId: extension.extensionId,
      password: extension.password,
    }
  }
}
