import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import PhoneNumberPolicy from '#policies/phone_number_policy'
import AuditTrail from '#services/audit/audit_trail'
import PhoneNumberWriter from '#services/phone_numbers/phone_number_writer'
import PhoneNumberLifecycle from '#services/phone_numbers/phone_number_lifecycle'
import { findPhoneNumber } from '#services/phone_numbers/phone_number_lookup'
import { listPhoneNumbers } from '#services/phone_numbers/phone_number_listing'
import { loadRoutingNames } from '#services/phone_numbers/routing_names'
import { serializePhoneNumber } from '#transformers/phone_number_transformer'
import {
  createPhoneNumberValidator,
  listPhoneNumbersValidator,
  updatePhoneNumberValidator,
} from '#validators/phone_number'
import type PhoneNumber from '#models/phone_number'

/* One row with its routing target's name (one extra query). */
async function present(row: PhoneNumber) {
  return { data: serializePhoneNumber(row, await loadRoutingNames([row])) }
}

@inject()
export default class PhoneNumbersController {
  constructor(
    protected writer: PhoneNumberWriter,
    protected lifecycle: PhoneNumberLifecycle,
  ) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(PhoneNumberPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listPhoneNumbersValidator, { data: request.qs() })
    return listPhoneNumbers(organization, filters)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(PhoneNumberPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createPhoneNumberValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const row = await this.writer.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created(await present(row))
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const row = await findPhoneNumber(organization, params.id)
    await bouncer.with(PhoneNumberPolicy).authorize('view', row)
    return present(row)
  }

  async update(ctx: HttpContext) {
    const row = await findPhoneNumber(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(PhoneNumberPolicy).authorize('update', row)
    const input = await ctx.request.validateUsing(updatePhoneNumberValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: row.id, currentNumber: row.number },
    })
    await this.writer.update(row, input, AuditTrail.fromRequest(ctx))
    return present(row)
  }

  async destroy(ctx: HttpContext) {
    const row = await findPhoneNumber(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(PhoneNumberPolicy).authorize('delete', row)
    await this.lifecycle.delete(row, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }

  async restore(ctx: HttpContext) {
    const row = await findPhoneNumber(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(PhoneNumberPolicy).authorize('restore', row)
    await this.lifecycle.restore(row, AuditTrail.fromRequest(ctx))
    return present(row)
  }
}
