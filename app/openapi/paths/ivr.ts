/* OpenAPI paths and schemas of the ivr area: IVR menus and their options. See docs/ivr.md. */
import { IVR_DIGITS, IVR_TARGET_TYPES, MAX_IVR_OPTIONS } from '#enums/ivr'
import { commonErrors, error, idParam, json, listParams, ok, one, page } from '#openapi/helpers'

const nullableInt = { type: ['integer', 'null'] }

/* Inlined rather than referenced so the response-shape checker sees every nested key. */
const prompt = {
  type: 'object',
  description: 'Exactly one of recordingId (a live, active recording) or ttsText',
  required: ['recordingId', 'ttsText', 'ttsVoice', 'ttsLanguage'],
  properties: {
    recordingId: nullableInt,
    ttsText: { type: ['string', 'null'], maxLength: 1000 },
    ttsVoice: { type: ['string', 'null'], maxLength: 60 },
    ttsLanguage: { type: ['string', 'null'], description: 'e.g. en-US' },
  },
}
const target = {
  type: 'object',
  description:
    'Where the caller goes. id is the row id of the extension, ring group, IVR menu or ' +
    'conference room; for voicemail the extension whose mailbox answers (voicemail on); ' +
    'none for hangup',
  required: ['type', 'id'],
  properties: { type: { enum: [...IVR_TARGET_TYPES] }, id: nullableInt },
}
const option = {
  type: 'object',
  required: ['id', 'digit', 'description', 'target', 'position'],
  properties: {
    id: { type: 'integer' },
    digit: { enum: [...IVR_DIGITS] },
    description: { type: ['string', 'null'], maxLength: 255 },
    target,
    position: { type: 'integer', description: 'Order as sent, from 1' },
  },
}
const nullablePrompt = { oneOf: [prompt, { type: 'null' }] }

const writable = {
  name: { type: 'string', maxLength: 120, description: 'Unique in the organization' },
  description: { type: ['string', 'null'], maxLength: 500 },
  prompt,
  invalidPrompt: { ...nullablePrompt, description: 'Played after a key with no option' },
  timeoutPrompt: { ...nullablePrompt, description: 'Played when no key was pressed' },
  firstDigitTimeout: { type: 'integer', minimum: 1, maximum: 30, default: 5 },
  interDigitTimeout: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
  maxRetries: { type: 'integer', minimum: 1, maximum: 9, default: 3 },
  failover: { ...target, description: 'Where callers go once the retries are used up' },
  status: { enum: ['active', 'inactive'], default: 'active' },
  options: {
    type: 'array',
    maxItems: MAX_IVR_OPTIONS,
    description: 'One per key; sending the list replaces all options. A menu target must not loop',
    items: {
      type: 'object',
      required: ['digit', 'target'],
      properties: {
        digit: option.properties.digit,
        description: option.properties.description,
        target,
      },
    },
  },
}

export const ivrSchemas = {
  IvrMenu: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...writable,
      options: { type: 'array', items: option },
      createdBy: nullableInt,
      updatedBy: nullableInt,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      deletedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
}

const notFound = error('Not in your organization')
const invalid = error(
  'Invalid input (field errors in error.details.fields), including a menu loop such as ' +
    '"Main → Sales → Main"',
)
const menu = one('IvrMenu')

export const ivrPaths = {
  '/ivr-menus': {
    get: {
      summary: 'List IVR menus with their options (every member)',
      parameters: [
        ...listParams(['name', 'created_at']),
        { name: 'status', in: 'query', schema: { enum: ['active', 'inactive'] } },
      ],
      responses: { 200: ok('A page', page('IvrMenu')), 422: invalid, ...commonErrors },
    },
    post: {
      summary: 'Create an IVR menu with its options (owner, PBX admin)',
      requestBody: {
        required: true,
        content: json({ type: 'object', required: ['name', 'prompt'], properties: writable }),
      },
      responses: {
        201: ok('Created', menu),
        409: error('Another menu took the name meanwhile'),
        422: invalid,
        ...commonErrors,
      },
    },
  },
  '/ivr-menus/{id}': {
    get: {
      summary: 'Show an IVR menu',
      parameters: [idParam],
      responses: { 200: ok('IVR menu', menu), 404: notFound, ...commonErrors },
    },
    patch: {
      summary: 'Update an IVR menu (partial; options, when sent, replace all; owner, PBX admin)',
      parameters: [idParam],
      requestBody: { content: json({ type: 'object', properties: writable }) },
      responses: {
        200: ok('Updated', menu),
        404: notFound,
        409: error('Another menu took the name meanwhile'),
        422: invalid,
        ...commonErrors,
      },
    },
    delete: {
      summary: 'Soft-delete an IVR menu (owner, PBX admin)',
      parameters: [idParam],
      responses: {
        204: { description: 'Deleted' },
        404: notFound,
        409: error(
          'E_RESOURCE_IN_USE: extensions, phone numbers, other menus… still send callers ' +
            'here; details.references lists them',
        ),
        ...commonErrors,
      },
    },
  },
  '/ivr-menus/{id}/restore': {
    post: {
      summary: 'Restore a soft-deleted IVR menu (owner, PBX admin)',
      parameters: [idParam],
      responses: {
        200: ok('Restored', menu),
        404: error('No deleted IVR menu with this id in your organization'),
        409: error('A live menu now uses the name'),
        ...commonErrors,
      },
    },
  },
}
