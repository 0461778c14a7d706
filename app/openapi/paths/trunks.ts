/* OpenAPI paths and schemas of the trunks area (see docs/development.md). */
import { CODECS, OUTBOUND_RULE_KINDS, TRUNK_KINDS, TRUNK_TRANSPORTS } from '#enums/trunks'
import { DEFAULT_DENIED_PREFIXES } from '#services/trunks/outbound_policy'
import { commonErrors, error, idParam, json, listParams, ok, one, page } from '#openapi/helpers'

const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra })
const timestamps = {
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  deletedAt: nullable('string', { format: 'date-time' }),
}

const trunkInput = {
  name: { type: 'string', maxLength: 100, description: 'Unique in the organization' },
  kind: { enum: [...TRUNK_KINDS] },
  host: nullable('string', { description: 'Required for register trunks' }),
  port: { type: 'integer', minimum: 1, maximum: 65535, default: 5060 },
  transport: { enum: [...TRUNK_TRANSPORTS], default: 'udp' },
  username: nullable('string', { description: 'Required for register trunks' }),
  password: {
    type: 'string',
    writeOnly: true,
    description: 'Register trunks; stored encrypted, never returned; omit on update to keep',
  },
  registerExpiry: nullable('integer', {
    minimum: 60,
    maximum: 3600,
    description: 'Register trunks; null or absent means 300. Always null for ip trunks',
  }),
  allowedCidrs: {
    type: 'array',
    minItems: 1,
    maxItems: 20,
    items: { type: 'string', description: 'IPv4 (≥ /16) or IPv6 (≥ /32) address or CIDR' },
    description: 'Required for ip trunks',
  },
  codecs: { type: 'array', minItems: 1, items: { enum: [...CODECS] }, uniqueItems: true },
  maxChannels: nullable('integer', { minimum: 1, maximum: 1000, description: 'null: no limit' }),
  priority: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  callerIdNumber: nullable('string', { description: 'E.164; required if passCallerId is false' }),
  passCallerId: { type: 'boolean', default: true },
  enabled: { type: 'boolean', default: true },
}

const routeInput = {
  name: { type: 'string', maxLength: 100 },
  prefix: nullable('string', {
    pattern: '^(?:\\+\\d{0,15}|\\d{1,15})$',
    description: 'null: every number',
  }),
  minLength: nullable('integer', { minimum: 1, maximum: 20 }),
  maxLength: nullable('integer', { minimum: 1, maximum: 20 }),
  stripDigits: { type: 'integer', minimum: 0, maximum: 10, default: 0 },
  prepend: nullable('string', { pattern: '^(?:\\+\\d{0,15}|\\d{1,15})$' }),
  priority: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  enabled: { type: 'boolean', default: true },
  trunkIds: {
    type: 'array',
    minItems: 1,
    maxItems: 10,
    uniqueItems: true,
    items: { type: 'integer' },
    description: 'Failover order: the first trunk is tried first',
  },
}

const ruleInput = {
  kind: { enum: [...OUTBOUND_RULE_KINDS] },
  prefix: {
    type: 'string',
    pattern: '^\\+[1-9]\\d{0,14}$',
    description: 'Unique per organization',
  },
  description: nullable('string', { maxLength: 255 }),
}

export const trunksSchemas = {
  Trunk: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...Object.fromEntries(Object.entries(trunkInput).filter(([key]) => key !== 'password')),
      passwordSet: { type: 'boolean' },
      ...timestamps,
    },
  },
  OutboundRoute: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...Object.fromEntries(Object.entries(routeInput).filter(([key]) => key !== 'trunkIds')),
      trunks: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            enabled: { type: 'boolean' },
            position: { type: 'integer' },
          },
        },
      },
      ...timestamps,
    },
  },
  OutboundRule: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...ruleInput,
      ...timestamps,
    },
  },
  OutboundResolution: {
    type: 'object',
    properties: {
      allowed: { type: 'boolean' },
      reason: {
        enum: [
          'allowed',
          'allowed_by_rule',
          'denied_by_rule',
          'denied_by_default',
          'not_whitelisted',
          'no_route',
          'no_enabled_trunk',
        ],
      },
      matchedPrefix: nullable('string'),
      route: {
        oneOf: [
          { type: 'null' },
          { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
        ],
      },
      trunks: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'integer' }, name: { type: 'string' } },
        },
      },
      dialledNumber: { type: 'string' },
    },
  },
}

/** The five CRUD operations plus restore for one resource. */
function crud(options: {
  path: string
  schema: string
  label: string
  input: Record<string, object>
  required: string[]
  sortable: string[]
  filters: object[]
  deleteConflict?: string
}) {
  const body = (required: string[]) => ({
    content: json({ type: 'object', required, properties: options.input }),
  })
  const update = {
    summary: `Update a ${options.label} (fields not sent are kept)`,
    parameters: [idParam],
    requestBody: body([]),
    responses: {
      200: ok('Updated', one(options.schema)),
      404: error('Not found in your organization'),
      422: error('Invalid fields'),
      ...commonErrors,
    },
  }
  return {
    [options.path]: {
      get: {
        summary: `List ${options.label}s`,
        parameters: [...listParams(options.sortable), ...options.filters],
        responses: {
          200: ok('Page', page(options.schema)),
          422: error('Bad query'),
          ...commonErrors,
        },
      },
      post: {
        summary: `Create a ${options.label} (owner, pbx_admin)`,
        requestBody: body(options.required),
        responses: {
          201: ok('Created', one(options.schema)),
          422: error('Invalid fields'),
          ...commonErrors,
        },
      },
    },
    [`${options.path}/{id}`]: {
      get: {
        summary: `Show a ${options.label}`,
        parameters: [idParam],
        responses: {
          200: ok(options.label, one(options.schema)),
          404: error('Not found in your organization'),
          ...commonErrors,
        },
      },
      patch: update,
      put: update,
      delete: {
        summary: `Soft-delete a ${options.label}`,
        parameters: [idParam],
        responses: {
          204: { description: 'Deleted' },
          404: error('Not found in your organization'),
          ...(options.deleteConflict ? { 409: error(options.deleteConflict) } : {}),
          ...commonErrors,
        },
      },
    },
    [`${options.path}/{id}/restore`]: {
      post: {
        summary: `Restore a soft-deleted ${options.label}`,
        parameters: [idParam],
        responses: {
          200: ok('Restored', one(options.schema)),
          404: error('No deleted row with this id in your organization'),
          409: error('A live row now uses the same name/prefix, or a listed trunk is deleted'),
          ...commonErrors,
        },
      },
    },
  }
}

const bool = (name: string) => ({ name, in: 'query', schema: { type: 'boolean' } })

export const trunksPaths = {
  ...crud({
    path: '/trunks',
    schema: 'Trunk',
    label: 'trunk',
    input: trunkInput,
    required: ['name', 'kind'],
    sortable: ['name', 'priority', 'created_at'],
    filters: [{ name: 'kind', in: 'query', schema: { enum: [...TRUNK_KINDS] } }, bool('enabled')],
    deleteConflict: 'E_RESOURCE_IN_USE: outbound routes still use the trunk (listed in details)',
  }),
  ...crud({
    path: '/outbound-routes',
    schema: 'OutboundRoute',
    label: 'outbound route',
    input: routeInput,
    required: ['name', 'trunkIds'],
    sortable: ['name', 'priority', 'created_at'],
    filters: [bool('enabled'), { name: 'trunkId', in: 'query', schema: { type: 'integer' } }],
  }),
  '/outbound-routes/resolve': {
    post: {
      summary: 'Dry-run outbound routing and the fraud rules for one number',
      description:
        'Picks the first enabled route by priority whose prefix and length match, applies its ' +
        'strip/prepend, and checks the fraud rules on every international form of the call. ' +
        `Built-in denied prefixes (defaults, overridable by an allow rule): ${DEFAULT_DENIED_PREFIXES.join(', ')}.`,
      requestBody: {
        content: json({
          type: 'object',
          required: ['number'],
          properties: { number: { type: 'string', examples: ['+44 20 7946 0000', '900441234'] } },
        }),
      },
      responses: {
        200: ok('Resolution', one('OutboundResolution')),
        422: error('Malformed number'),
        ...commonErrors,
      },
    },
  },
  ...crud({
    path: '/outbound-rules',
    schema: 'OutboundRule',
    label: 'outbound rule',
    input: ruleInput,
    required: ['kind', 'prefix'],
    sortable: ['prefix', 'kind', 'created_at'],
    filters: [{ name: 'kind', in: 'query', schema: { enum: [...OUTBOUND_RULE_KINDS] } }],
  }),
}
