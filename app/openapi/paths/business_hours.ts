/* OpenAPI paths and schemas of the business_hours area (see docs/business_hours.md). */
import {
  commonErrors,
  error,
  idParam,
  json,
  listParams,
  ok,
  one,
  page,
  ref,
} from '#openapi/helpers'
import { ROUTING_TARGET_TYPES } from '#enums/business_hours'

const HHMM = '^([01]\\d|2[0-3]):[0-5]\\d$'
const HHMM_END = '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$'
const range = {
  type: 'object',
  required: ['start', 'end'],
  properties: {
    start: { type: 'string', pattern: HHMM, description: 'Inclusive, local time' },
    end: {
      type: 'string',
      pattern: HHMM_END,
      description: 'Exclusive; after start; 24:00 allowed',
    },
  },
}

const fields = {
  name: { type: 'string', maxLength: 100, description: 'Unique in the organization' },
  description: { type: ['string', 'null'], maxLength: 500 },
  timezone: {
    type: 'string',
    example: 'Europe/London',
    description: "IANA zone; defaults to the organization's time zone",
  },
  status: { enum: ['active', 'inactive'], default: 'active' },
  rules: {
    type: 'array',
    maxItems: 100,
    description: 'Weekly ranges; ranges of one day may not overlap. Sent: replaces all.',
    items: ref('BusinessHoursRule'),
  },
  exceptions: {
    type: 'array',
    maxItems: 366,
    description: 'One per date; replaces the weekly ranges of that date. Sent: replaces all.',
    items: ref('BusinessHoursException'),
  },
  openTarget: ref('RoutingTarget'),
  closedTarget: ref('RoutingTarget'),
}

export const businessHoursSchemas = {
  RoutingTarget: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { enum: [...ROUTING_TARGET_TYPES], default: 'hangup' },
      id: {
        type: ['integer', 'null'],
        description:
          'Required except for hangup: a live extension, ring group, IVR menu or conference ' +
          'room of the organization (voicemail: the extension whose box answers)',
      },
    },
  },
  BusinessHoursRule: {
    type: 'object',
    required: ['dayOfWeek', 'start', 'end'],
    properties: {
      dayOfWeek: { type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday' },
      ...range.properties,
    },
  },
  BusinessHoursException: {
    type: 'object',
    required: ['date', 'name', 'kind'],
    properties: {
      date: { type: 'string', format: 'date', description: "In the schedule's time zone" },
      name: { type: 'string', maxLength: 100 },
      kind: { enum: ['closed', 'special'] },
      ranges: { type: 'array', items: range, description: 'Required (≥ 1) for special only' },
    },
  },
  BusinessHoursSchedule: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...fields,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      deletedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  BusinessHoursStatus: {
    type: 'object',
    properties: {
      open: { type: 'boolean' },
      at: { type: 'string', format: 'date-time', description: 'The instant asked about, UTC' },
      localTime: { type: 'string', format: 'date-time', description: "In the schedule's zone" },
      timezone: { type: 'string' },
      reason: { enum: ['exception', 'weekly', 'closed_all_day'] },
      target: ref('RoutingTarget'),
    },
  },
}

const notFound = error('Not in your organization')
const invalid = error('Invalid input (field errors in error.details.fields)')
const base = '/business-hours'
const update = {
  summary: 'Update a business-hours schedule (partial; owner, PBX admin)',
  parameters: [idParam],
  requestBody: {
    content: json({ type: 'object', properties: fields }),
  },
  responses: {
    200: ok('Updated', one('BusinessHoursSchedule')),
    404: notFound,
    409: error('Another schedule took this name meanwhile'),
    422: invalid,
    ...commonErrors,
  },
}

export const businessHoursPaths = {
  [base]: {
    get: {
      summary: 'List business-hours schedules with their ranges and exceptions (every member)',
      parameters: [
        ...listParams(['name', 'created_at']),
        { name: 'status', in: 'query', schema: { enum: ['active', 'inactive'] } },
      ],
      responses: {
        200: ok('A page', page('BusinessHoursSchedule')),
        422: invalid,
        ...commonErrors,
      },
    },
    post: {
      summary: 'Create a business-hours schedule (owner, PBX admin)',
      requestBody: {
        required: true,
        content: json({ type: 'object', required: ['name'], properties: fields }),
      },
      responses: {
        201: ok('Created', one('BusinessHoursSchedule')),
        422: invalid,
        ...commonErrors,
      },
    },
  },
  [`${base}/{id}`]: {
    get: {
      summary: 'Show a business-hours schedule',
      parameters: [idParam],
      responses: {
        200: ok('Schedule', one('BusinessHoursSchedule')),
        404: notFound,
        ...commonErrors,
      },
    },
    patch: update,
    put: { ...update, summary: 'Same as PATCH' },
    delete: {
      summary: 'Soft-delete a business-hours schedule (owner, PBX admin)',
      parameters: [idParam],
      responses: {
        204: { description: 'Deleted' },
        404: notFound,
        409: error('E_RESOURCE_IN_USE: phone numbers route through it; details.references'),
        ...commonErrors,
      },
    },
  },
  [`${base}/{id}/status`]: {
    get: {
      summary: 'Whether the schedule is open at an instant, and where calls go then',
      parameters: [
        idParam,
        {
          name: 'at',
          in: 'query',
          description: 'ISO 8601 instant with Z or an offset (URL-encode "+"); default now',
          schema: { type: 'string', format: 'date-time' },
        },
      ],
      responses: {
        200: ok('Status', { type: 'object', properties: { data: ref('BusinessHoursStatus') } }),
        404: notFound,
        422: invalid,
        ...commonErrors,
      },
    },
  },
  [`${base}/{id}/restore`]: {
    post: {
      summary: 'Restore a soft-deleted business-hours schedule (owner, PBX admin)',
      parameters: [idParam],
      responses: {
        200: ok('Restored', one('BusinessHoursSchedule')),
        404: error('No deleted schedule with this id in your organization'),
        409: error('Another live schedule now has this name'),
        ...commonErrors,
      },
    },
  },
  [`${base}/{id}/duplicate`]: {
    post: {
      summary: 'Copy a schedule as "<name> (copy)", numbered when taken (owner, PBX admin)',
      parameters: [idParam],
      responses: {
        201: ok('The copy', one('BusinessHoursSchedule')),
        404: notFound,
        ...commonErrors,
      },
    },
  },
}
