import { BaseModel, belongsTo, column, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import Organization from '#models/organization'
import TenantScopeMissingException from '#exceptions/tenant_scope_missing_exception'

const ROOTED = Symbol.for('opbx.organizationRooted')

type FlaggableQuery = ModelQueryBuilderContract<LucidModel> & {
  [ROOTED]?: true
  isRelatedQuery?: boolean
  isRelatedSubQuery?: boolean
  isRelatedPreloadQuery?: boolean
}

function markRooted(query: ModelQueryBuilderContract<LucidModel>) {
  ;(query as FlaggableQuery)[ROOTED] = true
  return query
}

/**
 * A query counts as rooted when it went through forOrganization/platformQuery, or when it
 * is a relation query: those are built from a parent row that was itself loaded under an
 * organization (organization.related('users'), extension.related('user'), preloads).
 */
function assertRooted(query: ModelQueryBuilderContract<LucidModel>) {
  const q = query as FlaggableQuery
  if (q[ROOTED] || q.isRelatedQuery || q.isRelatedSubQuery || q.isRelatedPreloadQuery) return
  throw new TenantScopeMissingException(query.model.name)
}

/**
 * Every tenant model composes this mixin: the organization_id column, the relation, the
 * forOrganization scope, and the fail-closed guard that makes an unscoped read throw
 * instead of silently returning every tenant's rows.
 */
export function BelongsToOrganization<T extends NormalizeConstructor<typeof BaseModel>>(superclass: T) {
  class TenantModel extends superclass {
    @column()
    declare organizationId: number

    @belongsTo(() => Organization)
    declare organization: BelongsTo<typeof Organization>

    static forOrganization = scope((query, organization: Organization | number) => {
      const id = typeof organization === 'number' ? organization : organization.id
      query.where(`${query.model.table}.organization_id`, id)
      markRooted(query)
    })

    /**
     * Deliberately cross-tenant read for boundary code only: authentication by email or
     * id, platform support search, CLI maintenance. The reason is required so every use
     * says why in code review.
     */
    static platformQuery<M extends LucidModel>(this: M, _reason: string) {
      return markRooted(this.query()) as ModelQueryBuilderContract<M>
    }

    static boot() {
      if (this.booted) return
      super.boot()
      this.before('find', assertRooted)
      this.before('fetch', assertRooted)
      this.before('paginate', ([, query]) => assertRooted(query))
      this.before('save', (row: TenantModel) => {
        if (!row.organizationId) throw new TenantScopeMissingException((row.constructor as LucidModel).name)
      })
    }
  }
  return TenantModel
}
