import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** Trunks: the default PBX configuration matrix (everyone reads, owner/admin write). */
export default class TrunkPolicy extends PbxResourcePolicy {}
