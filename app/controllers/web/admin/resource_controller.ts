import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'
import type Organization from '#models/organization'
import AuditTrail from '#services/audit/audit_trail'
import type { ListFilters } from '#services/shared/listing'
import { abilitiesOf, done } from '#controllers/web/admin/admin_page'
import { optionsFor, type OptionKind } from '#controllers/web/admin/target_options'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
type Row = { id: number }
type Validator = VineValidator<any, any>
type Writer<R> = {
  create(organization: Organization, input: any, actor: Actor): Promise<unknown>
  update(row: R, input: any, actor: Actor): Promise<unknown>
}
type Lifecycle<R> = {
  delete(row: R, actor: Actor): Promise<unknown>
  restore(row: R, actor: Actor): Promise<unknown>
}

/**
 * What a resource page of the admin console is made of. Everything that decides
 * (validators, policy, services) is the API's own; the spec only names them.
 */
export type ResourceSpec<R extends Row> = {
  page: string
  policy: new (...args: any[]) => any
  /** How a row is named in the toasts. */
  label: (row: R) => string
  listValidator: Validator
  list: (organization: Organization, filters: any) => Promise<{ data: unknown[]; meta: unknown }>
  find: (organization: Organization, id: unknown, trashed: boolean) => Promise<R>
  createValidator: Validator
  updateValidator: Validator
  /** Validator metadata beyond organizationId/ignoreId (e.g. the stored number). */
  updateMeta?: (row: R) => Record<string, unknown>
  writer: new (...args: any[]) => Writer<R>
  lifecycle: new (...args: any[]) => Lifecycle<R>
  options?: OptionKind[]
}

/** A controller class for one resource page: list, create, edit, delete, restore. */
export function adminResource<R extends Row>(spec: ResourceSpec<R>) {
  const policyOf = (ctx: HttpContext) => ctx.bouncer.with(spec.policy as any) as any

  return class AdminResourceController {
    async index(ctx: HttpContext) {
      await policyOf(ctx).authorize('viewAny')
      const filters = (await ctx.request.validateUsing(spec.listValidator, {
        data: ctx.request.qs(),
      } as any)) as ListFilters
      return ctx.inertia.render(
        spec.page as never,
        {
          rows: await spec.list(ctx.organization, filters),
          filters: { search: filters.search ?? '', trashed: filters.trashed ?? null },
          can: await abilitiesOf(ctx.bouncer, spec.policy),
          options: await optionsFor(ctx.organization, spec.options ?? []),
        } as never,
      )
    }

    async store(ctx: HttpContext) {
      await policyOf(ctx).authorize('create')
      const input = await ctx.request.validateUsing(spec.createValidator, {
        meta: { organizationId: ctx.organization.id },
      } as any)
      const writer = await app.container.make(spec.writer)
      const row = (await writer.create(ctx.organization, input, AuditTrail.fromRequest(ctx))) as R
      return done(ctx, `${spec.label(row)} created.`)
    }

    async update(ctx: HttpContext) {
      const row = await spec.find(ctx.organization, ctx.params.id, false)
      await policyOf(ctx).authorize('update', row)
      const meta = {
        organizationId: ctx.organization.id,
        ignoreId: row.id,
        ...spec.updateMeta?.(row),
      }
      const input = await ctx.request.validateUsing(spec.updateValidator, { meta } as any)
      const writer = await app.container.make(spec.writer)
      await writer.update(row, input, AuditTrail.fromRequest(ctx))
      return done(ctx, `${spec.label(row)} saved.`)
    }

    async destroy(ctx: HttpContext) {
      const row = await spec.find(ctx.organization, ctx.params.id, false)
      await policyOf(ctx).authorize('delete', row)
      const lifecycle = await app.container.make(spec.lifecycle)
      await lifecycle.delete(row, AuditTrail.fromRequest(ctx))
      return done(ctx, `${spec.label(row)} deleted. "Show deleted" lists it for a restore.`)
    }

    async restore(ctx: HttpContext) {
      const row = await spec.find(ctx.organization, ctx.params.id, true)
      await policyOf(ctx).authorize('restore', row)
      const lifecycle = await app.container.make(spec.lifecycle)
      await lifecycle.restore(row, AuditTrail.fromRequest(ctx))
      return done(ctx, `${spec.label(row)} restored.`)
    }
  }
}
