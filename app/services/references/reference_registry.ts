import ApiException from '#exceptions/api_exception'

export type Reference = { type: string; id: number; name: string }
type Finder = (organizationId: number, id: number) => Promise<Reference[]>

/**
 * Who points at what. Each resource that can reference another registers a finder for the
 * referenced type (e.g. ring groups register one for 'extension'); deleting a referenced
 * row answers 409 with the list, so an admin knows exactly what to change first.
 */
class ReferenceRegistry {
  #finders = new Map<string, Finder[]>()

  register(type: string, finder: Finder) {
    this.#finders.set(type, [...(this.#finders.get(type) ?? []), finder])
  }

  async find(type: string, organizationId: number, id: number) {
    await import('#services/references/finders')
    // One after the other: inside a transaction they share one connection, which must not
    // be given concurrent queries.
    const found: Reference[] = []
    for (const finder of this.#finders.get(type) ?? []) {
      found.push(...(await finder(organizationId, id)))
    }
    return found
  }

  async assertUnreferenced(type: string, label: string, organizationId: number, id: number) {
    const references = await this.find(type, organizationId, id)
    if (references.length > 0) {
      const list = references.map((r) => `${r.type} "${r.name}"`).join(', ')
      throw new ApiException(
        409,
        'E_RESOURCE_IN_USE',
        `This ${label} is still used by ${list}: change those first`,
        {
          details: { references },
        },
      )
    }
  }
}

const references = new ReferenceRegistry()
export default references
