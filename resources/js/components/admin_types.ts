/** Shapes shared by the admin console's resource pages (see app/controllers/web/admin). */
export type Paginated<T> = {
  data: T[]
  meta: { total: number; perPage?: number; page: number; lastPage: number }
}
export type ListFilters = { search: string; trashed: 'with' | 'only' | null }
export type Abilities = { create: boolean; update: boolean; delete: boolean; restore: boolean }
export type Errors = Record<string, string | undefined>

export type ExtensionOption = {
  id: number
  number: string
  name: string
  type: string
  status: string
  voicemailEnabled: boolean
}
export type NamedOption = { id: number; name: string; status?: string; number?: string }
export type TrunkOption = { id: number; name: string; enabled: boolean; kind: string }

export type Options = {
  extensions?: ExtensionOption[]
  ringGroups?: NamedOption[]
  ivrMenus?: NamedOption[]
  businessHours?: NamedOption[]
  conferenceRooms?: NamedOption[]
  trunks?: TrunkOption[]
  recordings?: NamedOption[]
}

/** Turns "" from a select or input into null/undefined/number the way validators expect. */
export const toId = (value: string | number | null | undefined) =>
  value === '' || value === null || value === undefined ? null : Number(value)
