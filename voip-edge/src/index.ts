/**
 * Public entry of voip-edge. The process entry point (bin/voip_edge.ts) and the app's
 * tests import from here only; nothing outside this package reaches into its layers.
 */
export const VOIP_EDGE_VERSION = '0.1.0'
