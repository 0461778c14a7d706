/* OpenAPI paths and schemas of the ring_groups area (see docs/development.md). */
import {
  MAX_RING_GROUP_MEMBERS,
  RING_GROUP_FALLBACKS,
  RING_GROUP_STATUSES,
  RING_GROUP_STRATEGIES,
} from '#enums/ring_groups'
import { commonErrors, error, idParam, json, listParams, ok, one, page } from '#openapi/helpers'

const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra })

const settings = {
  name: { type: 'string', minLength: 2, maxLength: 100, description: 'Unique in the organization' },
  description: nullable('string', { maxLength: 1000 }),
  strategy: {
    enum: [...RING_GROUP_STRATEGIES],
    default: 'simultaneous',
    description:
      'simultaneous: all members at once; sequential: one by one by priority; round_robin: ' +
      'one by one, starting after the member who took the previous call; longest_idle: the ' +
      'member idle the longest first',
  },
  timeout: { type: 'integer', minimum: 5, maximum: 300, default: 30, description: 'Seconds' },
  ringTurns: {
    type: 'integer',
    minimum: 1,
    maximum: 9,
    default: 1,
    description: 'How many times the member list is worked through before the fallback',
  },
  fallbackAction: { enum: [...RING_GROUP_FALLBACKS], default: 'hangup' },
  fallbackTargetId: nullable('integer', {
    description:
      'Required unless fallbackAction is hangup: an active extension (extension), a user ' +
      'extension with voicemail (voicemail), another active ring group that does not lead ' +
      'back here (ring_group) or an IVR menu (ivr_menu) of the organization',
  }),
  status: { enum: [...RING_GROUP_STATUSES], default: 'active' },
}

const membersInput = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_RING_GROUP_MEMBERS,
  description:
    'Replaces the whole list. Active user extensions; extensions and priorities distinct',
  items: {
    type: 'object',
    required: ['extensionId', 'priority'],
    properties: {
      extensionId: { type: 'integer' },
      priority: { type: 'integer', minimum: 1, maximum: 100, description: 'Lower rings first' },
    },
  },
}

const timestamps = {
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  deletedAt: nullable('string', { format: 'date-time' }),
}

export const ringGroupsSchemas = {
  RingGroup: {
    type: 'object',
    required: [
      'id',
      'organizationId',
      ...Object.keys(settings),
      'members',
      ...Object.keys(timestamps),
    ],
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...settings,
      members: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'extensionId', 'priority', 'extension'],
          properties: {
            id: { type: 'integer' },
            extensionId: { type: 'integer' },
            priority: { type: 'integer' },
            extension: {
              oneOf: [
                { type: 'null' },
                {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    number: { type: 'string' },
                    name: { type: 'string' },
                    status: { enum: ['active', 'inactive'] },
                  },
                },
              ],
            },
          },
        },
      },
      ...timestamps,
    },
  },
}

const body = (required: string[], members: object) => ({
  content: json({
    type: 'object',
    required,
    properties: { ...settings, members },
  }),
})

const locked = error(
  'E_RESOURCE_LOCKED: someone else is changing this group; retry after details.retryAfterMs ' +
    '(also in the Retry-After header, in seconds). E_STALE_LOCK: this change lost the lock ' +
    'before it was saved and a newer change was saved meanwhile; nothing was written, retry',
)

const update = {
  summary: 'Update a ring group (fields not sent are kept; a member list sent replaces the old)',
  parameters: [idParam],
  requestBody: body([], membersInput),
  responses: {
    200: ok('Updated', one('RingGroup')),
    404: error('Not found in your organization'),
    409: locked,
    422: error('Invalid fields, members (per member) or a fallback loop'),
    ...commonErrors,
  },
}

export const ringGroupsPaths = {
  '/ring-groups': {
    get: {
      summary: 'List ring groups with their members',
      parameters: [
        ...listParams(['name', 'created_at']),
        { name: 'status', in: 'query', schema: { enum: [...RING_GROUP_STATUSES] } },
        { name: 'strategy', in: 'query', schema: { enum: [...RING_GROUP_STRATEGIES] } },
      ],
      responses: {
        200: ok('Page', page('RingGroup')),
        422: error('Bad query'),
        ...commonErrors,
      },
    },
    post: {
      summary: 'Create a ring group with its members (owner, pbx_admin)',
      requestBody: body(['name', 'members'], membersInput),
      responses: {
        201: ok('Created', one('RingGroup')),
        422: error('Invalid fields, members (per member) or fallback target'),
        ...commonErrors,
      },
    },
  },
  '/ring-groups/{id}': {
    get: {
      summary: 'Show a ring group with its members',
      parameters: [idParam],
      responses: {
        200: ok('Ring group', one('RingGroup')),
        404: error('Not found in your organization'),
        ...commonErrors,
      },
    },
    patch: update,
    put: update,
    delete: {
      summary: 'Soft-delete a ring group',
      parameters: [idParam],
      responses: {
        204: { description: 'Deleted' },
        404: error('Not found in your organization'),
        409: error(
          'E_RESOURCE_IN_USE: extensions, phone numbers, IVR menus or other ring groups still ' +
            'send calls here (listed in details.references); or E_RESOURCE_LOCKED / ' +
            'E_STALE_LOCK (as for updates)',
        ),
        ...commonErrors,
      },
    },
  },
  '/ring-groups/{id}/restore': {
    post: {
      summary: 'Restore a soft-deleted ring group',
      parameters: [idParam],
      responses: {
        200: ok('Restored', one('RingGroup')),
        404: error('No deleted ring group with this id in your organization'),
        409: error(
          'A live group now uses the name, a member extension or the fallback target was ' +
            'deleted, or E_RESOURCE_LOCKED / E_STALE_LOCK (as for updates)',
        ),
        ...commonErrors,
      },
    },
  },
}
