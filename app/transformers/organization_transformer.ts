import type Organization from '#models/organization'

export function serializeOrganization(organization: Organization) {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    status: organization.status,
    timezone: organization.timezone,
    createdAt: organization.createdAt.toISO(),
  }
}
