/*
 * The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json. Each area
 * contributes its paths (app/openapi/paths/*) and schemas; a test compares the result with
 * the router, so an endpoint cannot ship undocumented.
 */
import { identityPaths, identitySchemas } from '#openapi/paths/identity'
import { extensionsPaths, extensionsSchemas } from '#openapi/paths/extensions'
import { mediaPaths, mediaSchemas } from '#openapi/paths/media'
import { trunksPaths, trunksSchemas } from '#openapi/paths/trunks'
import { settingsPaths, settingsSchemas } from '#openapi/paths/settings'
import { ringGroupsPaths, ringGroupsSchemas } from '#openapi/paths/ring_groups'
import { businessHoursPaths, businessHoursSchemas } from '#openapi/paths/business_hours'
import { ivrPaths, ivrSchemas } from '#openapi/paths/ivr'
import { phoneNumbersPaths, phoneNumbersSchemas } from '#openapi/paths/phone_numbers'
import { callsPaths, callsSchemas } from '#openapi/paths/calls'
import { systemPaths, systemSchemas } from '#openapi/paths/system'
import { callTimelinePaths, callTimelineSchemas } from '#openapi/paths/call_timeline'

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'OPBX control plane API',
    version: '1.0.0',
    description:
      "Tenant-scoped REST API. Every id is resolved inside the caller's organization: " +
      "another organization's id answers 404. Errors use one envelope: " +
      '{ error: { code, message, details?, requestId } }.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'opbx_…' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'requestId'],
            properties: {
              code: { type: 'string', examples: ['E_VALIDATION_ERROR', 'E_NOT_FOUND'] },
              message: { type: 'string' },
              details: {},
              requestId: { type: 'string' },
            },
          },
        },
      },
      PageMeta: {
        type: 'object',
        properties: {
          total: { type: 'integer' },
          perPage: { type: 'integer' },
          page: { type: 'integer' },
          lastPage: { type: 'integer' },
        },
      },
      ...identitySchemas,
      ...extensionsSchemas,
      ...mediaSchemas,
      ...trunksSchemas,
      ...settingsSchemas,
      ...ringGroupsSchemas,
      ...businessHoursSchemas,
      ...ivrSchemas,
      ...phoneNumbersSchemas,
      ...callsSchemas,
      ...systemSchemas,
      ...callTimelineSchemas,
    },
  },
  paths: {
    ...identityPaths,
    ...extensionsPaths,
    ...mediaPaths,
    ...trunksPaths,
    ...settingsPaths,
    ...ringGroupsPaths,
    ...businessHoursPaths,
    ...ivrPaths,
    ...phoneNumbersPaths,
    ...callsPaths,
    ...systemPaths,
    ...callTimelinePaths,
  },
} as const
