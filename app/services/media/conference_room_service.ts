import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import ConferenceRoom from '#models/conference_room'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import references from '#services/references/reference_registry'
import { fieldError, isUniqueViolation } from '#services/media/field_error'
import { definedOnly, listPage } from '#services/media/listing'
import { serializeConferenceRoom } from '#transformers/conference_room_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
type ListFilters = Parameters<typeof listPage>[1] & { status?: 'active' | 'inactive' }
export type ConferenceRoomInput = Partial<
  Pick<
    ConferenceRoom,
    | 'number'
    | 'name'
    | 'description'
    | 'pin'
    | 'hostPin'
    | 'maxParticipants'
    | 'muteOnEntry'
    | 'waitForHost'
    | 'record'
    | 'announceJoinLeave'
    | 'musicOnHold'
    | 'status'
  >
>

const DEFAULTS = { maxParticipants: 25, muteOnEntry: false, waitForHost: false, record: false }

/** Writes to an organization's conference rooms; every change is audited in its transaction. */
export default class ConferenceRoomService {
  list(organization: Organization, filters: ListFilters) {
    const query = ConferenceRoom.query().withScopes((s) => s.forOrganization(organization))
    if (filters.status) query.where('status', filters.status)
    return listPage(query, filters, { searchable: ['number', 'name'], defaultSort: 'number' })
  }

  create(organization: Organization, input: ConferenceRoomInput, actor: Actor) {
    const room = new ConferenceRoom()
    room.merge({ ...DEFAULTS, announceJoinLeave: false, musicOnHold: true, status: 'active' })
    room.merge({ ...definedOnly(input), organizationId: organization.id })
    room.createdBy = actor.actorUserId
    return this.#save(room, 'conference_room.created', null, actor)
  }

  update(room: ConferenceRoom, input: ConferenceRoomInput, actor: Actor) {
    const before = serializeConferenceRoom(room)
    room.merge(definedOnly(input))
    return this.#save(room, 'conference_room.updated', before, actor)
  }

  /** Soft delete, refused while an extension (or anything else) still routes callers here. */
  async delete(room: ConferenceRoom, actor: Actor) {
    await references.assertUnreferenced(
      'conference_room',
      'conference room',
      room.organizationId,
      room.id,
    )
    const before = serializeConferenceRoom(room)
    room.deletedAt = DateTime.now()
    return this.#save(room, 'conference_room.deleted', before, actor)
  }

  restore(room: ConferenceRoom, actor: Actor) {
    room.deletedAt = null
    return this.#save(room, 'conference_room.restored', null, actor)
  }

  async #save(
    room: ConferenceRoom,
    action: string,
    before: Record<string, unknown> | null,
    actor: Actor,
  ) {
    if (room.waitForHost && !room.hostPin)
      throw fieldError('waitForHost', 'Waiting for the host needs a host PIN', 'requiresHostPin')
    if (room.pin && room.pin === room.hostPin)
      throw fieldError('hostPin', 'The host PIN must differ from the PIN', 'different')
    room.updatedBy = actor.actorUserId
    /* PINs never enter the audit trail, but that one changed is worth knowing. */
    const secretsChanged = ['pin', 'hostPin'].filter((key) => key in room.$dirty)
    const metadata = secretsChanged.length > 0 ? { secretsChanged } : undefined
    try {
      return await db.transaction(async (trx) => {
        room.useTransaction(trx)
        await room.save()
        const after = room.deletedAt ? null : serializeConferenceRoom(room)
        const entry = { action, subjectType: 'conference_room', subjectId: room.id }
        await AuditTrail.record(actor, { ...entry, before, after, metadata }, trx)
        return room
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      throw ApiException.conflict('Another conference room already uses this number or name')
    }
  }
}
