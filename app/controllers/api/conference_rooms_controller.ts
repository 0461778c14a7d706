import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ConferenceRoom from '#models/conference_room'
import ConferenceRoomPolicy from '#policies/conference_room_policy'
import AuditTrail from '#services/audit/audit_trail'
import ConferenceRoomService from '#services/media/conference_room_service'
import { serializeConferenceRoom } from '#transformers/conference_room_transformer'
import { paginated } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import {
  createConferenceRoomValidator,
  listConferenceRoomsValidator,
  updateConferenceRoomValidator,
} from '#validators/conference_room'

@inject()
export default class ConferenceRoomsController {
  constructor(protected rooms: ConferenceRoomService) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(ConferenceRoomPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listConferenceRoomsValidator, {
      data: request.qs(),
    })
    return paginated(await this.rooms.list(organization, filters), serializeConferenceRoom)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(ConferenceRoomPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createConferenceRoomValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const room = await this.rooms.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeConferenceRoom(room) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const room = await this.#find(organization, params.id, false)
    await bouncer.with(ConferenceRoomPolicy).authorize('view', room)
    return { data: serializeConferenceRoom(room) }
  }

  async update(ctx: HttpContext) {
    const room = await this.#find(ctx.organization, ctx.params.id, false)
    await ctx.bouncer.with(ConferenceRoomPolicy).authorize('update', room)
    const input = await ctx.request.validateUsing(updateConferenceRoomValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: room.id },
    })
    const updated = await this.rooms.update(room, input, AuditTrail.fromRequest(ctx))
    return { data: serializeConferenceRoom(updated) }
  }

  async destroy(ctx: HttpContext) {
    const room = await this.#find(ctx.organization, ctx.params.id, false)
    await ctx.bouncer.with(ConferenceRoomPolicy).authorize('delete', room)
    await this.rooms.delete(room, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }

  async restore(ctx: HttpContext) {
    const room = await this.#find(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(ConferenceRoomPolicy).authorize('restore', room)
    const restored = await this.rooms.restore(room, AuditTrail.fromRequest(ctx))
    return { data: serializeConferenceRoom(restored) }
  }

  /** Tenant-rooted: another organization's id is simply not found (404). */
  #find(organization: HttpContext['organization'], id: unknown, deleted: boolean) {
    const query = ConferenceRoom.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('id', idParam(id))
    if (deleted) query.whereNotNull('deleted_at')
    else query.whereNull('deleted_at')
    return query.firstOrFail()
  }
}
