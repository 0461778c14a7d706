import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** The default PBX configuration matrix: every member reads, owners and PBX admins write. */
export default class ConferenceRoomPolicy extends PbxResourcePolicy {}
