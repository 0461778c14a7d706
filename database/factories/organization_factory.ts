import factory from '@adonisjs/lucid/factories'
import Organization from '#models/organization'

let sequence = 0

export const OrganizationFactory = factory
  .define(Organization, () => {
    sequence += 1
    const name = `Test Org ${Date.now().toString(36)}-${sequence}`
    return {
      name,
      slug: Organization.slugify(name),
      status: 'active' as const,
      timezone: 'UTC',
      settings: {},
    }
  })
  .state('suspended', (org) => {
    org.status = 'suspended'
  })
  .build()
