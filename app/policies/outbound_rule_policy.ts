import { PbxResourcePolicy } from '#auth/pbx_resource_policy'

/** Outbound allow/deny rules: the default matrix (everyone reads, owner/admin write). */
export default class OutboundRulePolicy extends PbxResourcePolicy {}
