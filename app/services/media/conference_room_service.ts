import { DateTime } from 'luxon'
import type { Infer } from '@vinejs/vine/types'
import type Organization from '#models/organization'
import ConferenceRoom from '#models/conference_room'
import ApiException from '#exceptions/api_exception'
import references from '#services/references/reference_registry'
import { type Actor, auditedSave } from '#services/media/audited_save'
import { fieldError, isUniqueViolation } from '#services/shared/field_error'
import { definedOnly, listPage, type ListFilters } from '#services/shared/listing'
import { serializeConferenceRoom } from '#transformers/conference_room_transformer'
import type { updateConferenceRoomValidator } from '#validators/conference_room'

type Input = Infer<typeof updateConferenceRoomValidator>
const DEFAULTS = {
  maxParticipants: 25,
  muteOnEntry: false,
  waitForHost: false,
  record: false,
  announceJoinLeave: false,
  musicOnHold: false,
  status: 'active' as const,
}

/** Writes to an organization's conference rooms; every change is audited in its transaction. */
export default class ConferenceRoomService {
  list(organization: Organization, filters: ListFilters & { status?: 'active' | 'inactive' }) {
    const query = ConferenceRoom.query().withScopes((s) => s.forOrganization(organization))
    if (filters.status) query.where('status', filters.status)
    return listPage(query, filters, { searchable: ['number', 'name'], defaultSort: 'number' })
  }

  create(organization: Organization, input: Input, actor: Actor) {
    const room = new ConferenceRoom()
    room.merge({ ...DEFAULTS, ...definedOnly(input), organizationId: organization.id })
    room.createdBy = actor.actorUserId
    return this.#save(room, 'conference_room.created', null, actor)
  }

  update(room: ConferenceRoom, input: Input, actor: Actor) {
    const before = serializeConferenceRoom(room)
    room.merge(definedOnly(input))
    return this.#save(room, 'conference_room.updated', before, actor)
  }

  /** Soft delete, refused while an extension (or anything else) still routes callers here. */
  async delete(room: ConferenceRoom, actor: Actor) {
    const { organizationId, id } = room
    await references.assertUnreferenced('conference_room', 'conference room', organizationId, id)
    const before = serializeConferenceRoom(room)
    room.deletedAt = DateTime.now()
    return this.#save(room, 'conference_room.deleted', before, actor)
  }

  restore(room: ConferenceRoom, actor: Actor) {
    room.deletedAt = null
    return this.#save(room, 'conference_room.restored', null, actor)
  }

  /* The PIN rules depend on the stored row as well as the input, hence here, not in Vine. */
  async #save(room: ConferenceRoom, action: string, before: object | null, actor: Actor) {
    if (room.waitForHost && !room.hostPin)
      throw fieldError('waitForHost', 'Waiting for the host needs a host PIN', 'requiresHostPin')
    if (room.pin && room.pin === room.hostPin)
      throw fieldError('hostPin', 'The host PIN must differ from the PIN', 'different')
    /* PINs never enter the audit trail, but that one changed is worth knowing. */
    const secretsChanged = ['pin', 'hostPin'].filter((key) => key in room.$dirty)
    const metadata = secretsChanged.length > 0 ? { secretsChanged } : undefined
    const entry = { action, subjectType: 'conference_room', before }
    try {
      return await auditedSave(room, entry, actor, serializeConferenceRoom, metadata)
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      throw ApiException.conflict('Another conference room already uses this number or name')
    }
  }
}
