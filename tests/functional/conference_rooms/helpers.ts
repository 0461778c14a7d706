import ConferenceRoom from '#models/conference_room'
import type Organization from '#models/organization'

let counter = 0

/** A live room straight in the database (the API is what the specs exercise). */
export function makeRoom(organization: Organization, overrides: Partial<ConferenceRoom> = {}) {
  counter += 1
  return ConferenceRoom.create({
    organizationId: organization.id,
    number: String(7000 + counter),
    name: `Room ${counter}`,
    maxParticipants: 25,
    muteOnEntry: false,
    waitForHost: false,
    record: false,
    announceJoinLeave: false,
    musicOnHold: true,
    status: 'active',
    ...overrides,
  })
}

export async function makeRooms(organization: Organization, count: number) {
  for (let i = 0; i < count; i++) await makeRoom(organization)
}
