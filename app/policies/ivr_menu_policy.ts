import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** The default PBX configuration matrix (OPBX had no checks here): all read, managers write. */
export default class IvrMenuPolicy extends PbxResourcePolicy {}
