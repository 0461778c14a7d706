import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** Phone numbers: the default PBX configuration matrix (everyone reads, owner/admin write). */
export default class PhoneNumberPolicy extends PbxResourcePolicy {}
