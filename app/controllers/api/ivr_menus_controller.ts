import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import IvrMenuPolicy from '#policies/ivr_menu_policy'
import AuditTrail from '#services/audit/audit_trail'
import IvrMenuWriter from '#services/ivr/ivr_menu_writer'
import IvrMenuLifecycle from '#services/ivr/ivr_menu_lifecycle'
import { findMenu, listMenus } from '#services/ivr/ivr_menu_lookup'
import { serializeIvrMenu } from '#transformers/ivr_menu_transformer'
import { paginated } from '#transformers/pagination'
import {
  createIvrMenuValidator,
  listIvrMenusValidator,
  updateIvrMenuValidator,
} from '#validators/ivr_menu'

@inject()
export default class IvrMenusController {
  constructor(
    protected writer: IvrMenuWriter,
    protected lifecycle: IvrMenuLifecycle,
  ) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(IvrMenuPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listIvrMenusValidator, { data: request.qs() })
    return paginated(await listMenus(organization, filters), serializeIvrMenu)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(IvrMenuPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createIvrMenuValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const menu = await this.writer.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeIvrMenu(menu) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const menu = await findMenu(organization, params.id)
    await bouncer.with(IvrMenuPolicy).authorize('view', menu)
    return { data: serializeIvrMenu(menu) }
  }

  async update(ctx: HttpContext) {
    const menu = await findMenu(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(IvrMenuPolicy).authorize('update', menu)
    const input = await ctx.request.validateUsing(updateIvrMenuValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: menu.id },
    })
    await this.writer.update(menu, input, AuditTrail.fromRequest(ctx))
    return { data: serializeIvrMenu(menu) }
  }

  async destroy(ctx: HttpContext) {
    const menu = await findMenu(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(IvrMenuPolicy).authorize('delete', menu)
    await this.lifecycle.delete(menu, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }

  async restore(ctx: HttpContext) {
    const menu = await findMenu(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(IvrMenuPolicy).authorize('restore', menu)
    await this.lifecycle.restore(menu, AuditTrail.fromRequest(ctx))
    return { data: serializeIvrMenu(menu) }
  }
}
