/**
 * Public entry of voip-edge. The process entry point (bin/voip_edge.ts) and the app's
 * tests import from here only; nothing outside this package reaches into its layers.
 */
export const VOIP_EDGE_VERSION = '0.1.0'

export { createEdge, type Edge, type EdgeDeps } from './edge.ts'
export { parseConfig, ConfigError, type EdgeConfig } from './config.ts'
export {
  InMemoryCredentialStore,
  type CredentialStore,
  type SipCredential,
  type RealmInfo,
  type InMemoryTenant,
} from './registrar/credential_store.ts'
export { HttpCredentialStore } from './registrar/http_credential_store.ts'
export { InMemoryTrunkStore, type TrunkStore, type Trunk } from './registrar/trunk_store.ts'
export type { Binding } from './registrar/binding_store.ts'
export type { Router, RouteRequest, FollowUp } from './routing/router.ts'
export { HttpCxmlRouter } from './routing/router.ts'
export type {
  SignalingPort,
  InboundCall,
  OutboundCall,
  CallDialog,
} from './signaling/signaling_port.ts'
export { signEdgeRequest } from './events/signer.ts'
