import type Organization from '#models/organization'
import IvrMenu from '#models/ivr_menu'
import { idParam } from '#transformers/params'
import { listPage, type ListFilters } from '#services/shared/listing'

/** Every menu read starts here, rooted in the caller's organization. */
export function menusOf(organization: Organization) {
  return IvrMenu.query().withScopes((scopes) => scopes.forOrganization(organization))
}

/** Another organization's id, or a row in the wrong state (live/trashed), is a 404. */
export function findMenu(organization: Organization, id: unknown, trashed = false) {
  const query = menusOf(organization).where('id', idParam(id)).preload('options')
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

/* Options come in one extra query per page, whatever the page size. */
export function listMenus(
  organization: Organization,
  filters: ListFilters & { status?: 'active' | 'inactive' },
) {
  const query = menusOf(organization).preload('options')
  if (filters.status) query.where('status', filters.status)
  return listPage(query, filters, { searchable: ['name'], defaultSort: 'name' })
}
