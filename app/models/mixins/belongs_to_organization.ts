import { BaseModel, belongsTo, column, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
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
export function BelongsToOrganization<T extends NormalizeConstructor<typeof BaseModel>>(
  superclass: T,
) {
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

    /**
     * row.refresh() re-reads a row that was itself loaded under an organization; it is
     * rooted by that row's own organization_id rather than refused.
     */
    $getQueryFor(
      action: 'insert',
      client: QueryClientContract,
    ): ReturnType<QueryClientContract['insertQuery']>
    $getQueryFor(
      action: 'update' | 'delete' | 'refresh',
      client: QueryClientContract,
    ): ModelQueryBuilderContract<LucidModel>
    $getQueryFor(action: 'insert' | 'update' | 'delete' | 'refresh', client: QueryClientContract) {
      if (action === 'insert') return super.$getQueryFor(action, client)
      const query = super.$getQueryFor(action, client)
      if (action === 'refresh') {
        query.where(`${query.model.table}.organization_id`, this.organizationId)
        markRooted(query)
      }
      return query
    }

    static boot() {
      // `booted` is inherited from the mixin class itself; only this class's own flag counts.
      if (Object.hasOwn(this, 'booted') && this.booted) return
      super.boot()
      this.before('find', assertRooted)
      this.before('fetch', assertRooted)
      this.before('paginate', ([, query]) => assertRooted(query))
      this.before('save', (row: TenantModel) => {
        if (!row.organizationId)
          throw new TenantScopeMissingException((row.constructor as LucidModel).name)
      })
    }
  }
  return TenantModel
}
