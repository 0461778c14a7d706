import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/**
 * The default PBX configuration matrix: every member reads schedules (and asks whether one is
 * open), owners and PBX admins create, change, duplicate, delete and restore them.
 */
export default class BusinessHoursSchedulePolicy extends PbxResourcePolicy {}
