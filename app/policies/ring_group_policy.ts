import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** Ring groups: the default PBX configuration matrix (everyone reads, owner/admin write). */
export default class RingGroupPolicy extends PbxResourcePolicy {}
