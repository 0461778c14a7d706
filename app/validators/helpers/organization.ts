import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import type { FieldContext } from '@vinejs/vine/types'

const INT4_MAX = 2_147_483_647

/**
 * Meta every tenant validator receives: `request.validateUsing(v, { meta: { organizationId } })`.
 * `ignoreId` lets an update keep its own unique value.
 */
export type OrganizationMeta = { organizationId: number; ignoreId?: number }

function organizationOf(field: FieldContext) {
  const id = (field.meta as Partial<OrganizationMeta>).organizationId
  if (!id) throw new Error('Tenant validator used without meta.organizationId')
  return id
}

/**
 * The value must be the id (or `column`) of a live row of the same organization. Another
 * organization's id fails exactly like a missing one: existence is not disclosed.
 */
export const existsInOrganization = vine.createRule(
  async (
    value: unknown,
    options: { table: string; column?: string; message?: string },
    field: FieldContext,
  ) => {
    if (value === undefined || value === null || !field.isValid) return
    // An id PostgreSQL cannot even store names no row: report it instead of a database error.
    if (typeof value === 'number' && !(Number.isInteger(value) && value > 0 && value <= INT4_MAX)) {
      field.report(
        options.message ?? `The selected ${field.name} does not exist`,
        'existsInOrganization',
        field,
      )
      return
    }
    const row = await db
      .from(options.table)
      .where('organization_id', organizationOf(field))
      .where(options.column ?? 'id', value as string | number)
      .whereNull('deleted_at')
      .first()
    if (!row)
      field.report(
        options.message ?? `The selected ${field.name} does not exist`,
        'existsInOrganization',
        field,
      )
  },
)

/** The value must not be used by another live row of the same organization. */
export const uniqueInOrganization = vine.createRule(
  async (
    value: unknown,
    options: { table: string; column: string; caseInsensitive?: boolean; message?: string },
    field: FieldContext,
  ) => {
    if (value === undefined || value === null || !field.isValid) return
    const query = db
      .from(options.table)
      .where('organization_id', organizationOf(field))
      .whereNull('deleted_at')
    if (options.caseInsensitive)
      query.whereRaw(`lower(${options.column}) = lower(?)`, [String(value)])
    else query.where(options.column, value as string | number)
    const ignoreId = (field.meta as Partial<OrganizationMeta>).ignoreId
    if (ignoreId) query.whereNot('id', ignoreId)
    if (await query.first()) {
      field.report(
        options.message ?? `The ${field.name} is already used in your organization`,
        'uniqueInOrganization',
        field,
      )
    }
  },
)
