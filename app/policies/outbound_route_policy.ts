import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** Outbound routes: the default PBX configuration matrix (everyone reads, owner/admin write). */
export default class OutboundRoutePolicy extends PbxResourcePolicy {}
