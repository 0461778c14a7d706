import ConferenceRoom from '#models/conference_room'
import ConferenceRoomPolicy from '#policies/conference_room_policy'
import ConferenceRoomService from '#services/media/conference_room_service'
import { findInOrganization } from '#services/shared/tenant_rows'
import { paginated } from '#transformers/pagination'
import { serializeConferenceRoom } from '#transformers/conference_room_transformer'
import {
  createConferenceRoomValidator,
  listConferenceRoomsValidator,
  updateConferenceRoomValidator,
} from '#validators/conference_room'
import { adminResource } from '#controllers/web/admin/resource_controller'

/** The Conference rooms page; PINs are write-only (the page only says whether one is set). */
export default adminResource({
  page: 'conference_rooms/index',
  policy: ConferenceRoomPolicy,
  label: (room) => `Room ${room.number} ${room.name}`,
  listValidator: listConferenceRoomsValidator,
  list: async (organization, filters) =>
    paginated(
      await new ConferenceRoomService().list(organization, filters),
      serializeConferenceRoom,
    ),
  find: (organization, id, trashed) =>
    findInOrganization(ConferenceRoom, organization, id, trashed),
  createValidator: createConferenceRoomValidator,
  updateValidator: updateConferenceRoomValidator,
  writer: ConferenceRoomService,
  lifecycle: ConferenceRoomService,
})
