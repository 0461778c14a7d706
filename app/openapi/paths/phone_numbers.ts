/* OpenAPI paths and schemas of the phone_numbers area (see docs/development.md). */
import { PHONE_NUMBER_STATUSES, ROUTING_TYPES } from '#enums/phone_numbers'
import { commonErrors, error, idParam, json, listParams, one, page } from '#openapi/helpers'

const E164 = '^\\+[1-9]\\d{7,14}$'

export const phoneNumbersSchemas = {
  PhoneNumber: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      number: { type: 'string', pattern: E164 },
      friendlyName: { type: ['string', 'null'] },
      status: { enum: [...PHONE_NUMBER_STATUSES] },
      trunkId: { type: ['integer', 'null'] },
      routing: {
        type: 'object',
        required: ['type', 'id', 'name'],
        properties: {
          type: { enum: [...ROUTING_TYPES] },
          id: { type: ['integer', 'null'], description: 'null for hangup' },
          name: { type: ['string', 'null'], description: "The target's name; null for hangup" },
        },
      },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      deletedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
}

const routing = {
  type: 'object',
  required: ['type'],
  description:
    'The target must be a live, active row of your organization. extension: a user, ' +
    'ai_assistant or forward extension; voicemail: a user extension with voicemail enabled; ' +
    'ring_group: with at least one active member; hangup: no id.',
  properties: {
    type: { enum: [...ROUTING_TYPES] },
    id: { type: 'integer', minimum: 1, description: 'Required unless type is hangup' },
  },
}
const body = {
  type: 'object',
  properties: {
    number: {
      type: 'string',
      description: 'E.164; spaces, dashes, dots and parentheses are removed. Create only.',
    },
    friendlyName: { type: ['string', 'null'], maxLength: 255 },
    status: { enum: [...PHONE_NUMBER_STATUSES] },
    trunkId: { type: ['integer', 'null'], description: 'Inbound trunk of your organization' },
    routing,
  },
}
const notFound = error('Not in your organization')
const invalid = error('Invalid input (field errors in error.details.fields)')
const numberOk = (description: string) => ({ description, content: json(one('PhoneNumber')) })

export const phoneNumbersPaths = {
  '/phone-numbers': {
    get: {
      summary: 'List phone numbers (every role); search matches digits of the number or the name',
      parameters: [
        ...listParams(['number', 'created_at']),
        { name: 'status', in: 'query', schema: { enum: [...PHONE_NUMBER_STATUSES] } },
        { name: 'routingType', in: 'query', schema: { enum: [...ROUTING_TYPES] } },
        { name: 'trunkId', in: 'query', schema: { type: 'integer' } },
      ],
      responses: {
        200: { description: 'A page', content: json(page('PhoneNumber')) },
        422: invalid,
        ...commonErrors,
      },
    },
    post: {
      summary: 'Add a phone number (owner, PBX admin); numbers are unique across all tenants',
      requestBody: { content: json({ ...body, required: ['number', 'routing'] }) },
      responses: { 201: numberOk('Created'), 422: invalid, ...commonErrors },
    },
  },
  '/phone-numbers/{id}': {
    get: {
      summary: 'One phone number',
      parameters: [idParam],
      responses: { 200: numberOk('Phone number'), 404: notFound, ...commonErrors },
    },
    patch: {
      summary: 'Update name, status, trunk or routing (owner, PBX admin); the number is fixed',
      parameters: [idParam],
      requestBody: { content: json(body) },
      responses: { 200: numberOk('Updated'), 404: notFound, 422: invalid, ...commonErrors },
    },
    delete: {
      summary: 'Soft-delete (owner, PBX admin)',
      parameters: [idParam],
      responses: { 204: { description: 'Deleted' }, 404: notFound, ...commonErrors },
    },
  },
  '/phone-numbers/{id}/restore': {
    post: {
      summary: 'Restore a soft-deleted phone number',
      parameters: [idParam],
      responses: {
        200: numberOk('Restored'),
        404: error('No deleted phone number with this id in your organization'),
        409: error('The number is in use again, or its routing target or trunk is gone'),
        ...commonErrors,
      },
    },
  },
}
