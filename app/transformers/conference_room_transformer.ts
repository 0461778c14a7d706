import type ConferenceRoom from '#models/conference_room'

/** PINs are never returned, not even masked: only whether one is set. */
export function serializeConferenceRoom(room: ConferenceRoom) {
  return {
    id: room.id,
    organizationId: room.organizationId,
    number: room.number,
    name: room.name,
    description: room.description ?? null,
    hasPin: Boolean(room.pin),
    hasHostPin: Boolean(room.hostPin),
    maxParticipants: room.maxParticipants,
    muteOnEntry: room.muteOnEntry,
    waitForHost: room.waitForHost,
    record: room.record,
    announceJoinLeave: room.announceJoinLeave,
    musicOnHold: room.musicOnHold,
    status: room.status,
    createdBy: room.createdBy ?? null,
    updatedBy: room.updatedBy ?? null,
    createdAt: room.createdAt.toISO(),
    updatedAt: room.updatedAt.toISO(),
    deletedAt: room.deletedAt?.toISO() ?? null,
  }
}
