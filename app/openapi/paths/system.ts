/*
 * OpenAPI paths of platform operations. These are not tenant endpoints: they take the
 * support console's staff session (platform admins), not a tenant bearer token.
 */
import { error, json, ok } from '#openapi/helpers'

export const systemSchemas = {
  SystemReload: {
    type: 'object',
    required: ['reloaded', 'durationMs', 'edges'],
    properties: {
      reloaded: { const: true },
      durationMs: { type: 'number', minimum: 0, description: 'The slowest edge' },
      edges: {
        type: 'array',
        items: {
          type: 'object',
          required: ['url', 'durationMs'],
          properties: { url: { type: 'string' }, durationMs: { type: 'number', minimum: 0 } },
        },
      },
    },
  },
}

export const systemPaths = {
  '/system/reload': {
    post: {
      summary:
        'Make voip-edge re-read trunks, extensions and routing without dropping calls or registrations. Platform admins (staff session cookie), audited.',
      security: [],
      requestBody: { required: true, content: json({ type: 'object' }) },
      responses: {
        200: ok('voip-edge reloaded', {
          type: 'object',
          properties: { data: { $ref: '#/components/schemas/SystemReload' } },
        }),
        401: error('No staff session'),
        403: error('Signed-in staff member is not a platform admin'),
        415: error('The body is not JSON'),
        503: error(
          'At least one voip-edge is unreachable, slow or refused the request (the others did reload; details.failed lists them), or control is not configured',
        ),
      },
    },
  },
}
