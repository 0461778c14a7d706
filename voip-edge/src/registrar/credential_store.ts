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
  /** realm → username → extension: a lookup per REGISTER must not scan every extension. */
  readonly #extensions = new Map<string, Map<string, InMemoryTenant['extensions'][number]>>()

  constructor(tenants: InMemoryTenant[] = []) {
    this.replace(tenants)
  }

  /** Swaps the whole data set at once (reload). */
  replace(tenants: InMemoryTenant[]): void {
    this.#tenants.clear()
    this.#extensions.clear()
    for (const tenant of tenants) {
      const realm = tenant.realm.toLowerCase()
      this.#tenants.set(realm, tenant)
      const byUser = new Map<string, InMemoryTenant['extensions'][number]>()
      // The first entry of a duplicated username wins, as a linear search would find it.
      for (const extension of tenant.extensions)
        if (!byUser.has(extension.username)) byUser.set(extension.username, extension)
      this.#extensions.set(realm, byUser)
    }
  }

  async resolveRealm(realm: string): Promise<RealmInfo | null> {
    const tenant = this.#tenants.get(realm.toLowerCase())
    return tenant ? { organizationId: tenant.organizationId } : null
  }

  async lookup(realm: string, username: string): Promise<SipCredential | null> {
    const tenant = this.#tenants.get(realm.toLowerCase())
    const extension = this.#extensions.get(realm.toLowerCase())?.get(username)
    if (!tenant || !extension) return null
    return {
      organizationId: tenant.organizationId,
      extensionId: extension.extensionId,
      password: extension.password,
    }
  }
}
