/*
 * Every file that registers tenant routes under /api/v1. Add one line per resource area;
 * each file default-exports a function that declares its routes (no prefix, no middleware:
 * the caller wraps them).
 */
export const tenantRouteFiles = [
  () => import('#start/routes/api/identity'),
  () => import('#start/routes/api/extensions'),
  () => import('#start/routes/api/media'),
  () => import('#start/routes/api/trunks'),
  () => import('#start/routes/api/settings'),
  () => import('#start/routes/api/ring_groups'),
  () => import('#start/routes/api/business_hours'),
  () => import('#start/routes/api/ivr'),
  () => import('#start/routes/api/phone_numbers'),
  () => import('#start/routes/api/calls'),
]
