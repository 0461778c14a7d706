/*
 * OpenAPI paths and schemas of the media area: conference rooms and recordings (audio
 * prompts). See docs/media.md.
 */
import { commonErrors, error, idParam, json, listParams, ok, one, page } from '#openapi/helpers'

const status = { enum: ['active', 'inactive'] }
const timestamps = {
  createdBy: { type: ['integer', 'null'] },
  updatedBy: { type: ['integer', 'null'] },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  deletedAt: { type: ['string', 'null'], format: 'date-time' },
}

const roomFields = {
  number: { type: 'string', pattern: '^\\d{2,6}$', description: 'Unique in the organization' },
  name: { type: 'string', maxLength: 120, description: 'Unique in the organization' },
  description: { type: ['string', 'null'], maxLength: 500 },
  pin: {
    type: ['string', 'null'],
    pattern: '^\\d{4,10}$',
    writeOnly: true,
    description: 'Stored encrypted, never returned; null removes it',
  },
  hostPin: {
    type: ['string', 'null'],
    pattern: '^\\d{4,10}$',
    writeOnly: true,
    description: 'Must differ from pin; required while waitForHost is true',
  },
  maxParticipants: { type: 'integer', minimum: 2, maximum: 500, default: 25 },
  muteOnEntry: { type: 'boolean', default: false },
  waitForHost: { type: 'boolean', default: false, description: 'Needs a host PIN' },
  record: { type: 'boolean', default: false },
  announceJoinLeave: { type: 'boolean', default: false },
  musicOnHold: { type: 'boolean', default: false },
  status: { ...status, default: 'active' },
}
/* PINs are write-only: responses carry hasPin/hasHostPin instead. */
const roomReadable = Object.fromEntries(
  Object.entries(roomFields).filter(([key]) => key !== 'pin' && key !== 'hostPin'),
)

export const mediaSchemas = {
  ConferenceRoom: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      ...roomReadable,
      hasPin: { type: 'boolean' },
      hasHostPin: { type: 'boolean' },
      ...timestamps,
    },
  },
  Recording: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      name: { type: 'string' },
      kind: { enum: ['upload', 'remote'] },
      status,
      originalFilename: { type: ['string', 'null'] },
      mimeType: { type: ['string', 'null'], enum: ['audio/wav', 'audio/mpeg', null] },
      size: { type: ['integer', 'null'], description: 'Bytes (uploads)' },
      durationSeconds: { type: ['number', 'null'], description: 'WAV uploads only' },
      remoteUrl: { type: ['string', 'null'], format: 'uri' },
      ...timestamps,
    },
  },
  RecordingUrl: {
    type: 'object',
    properties: {
      url: { type: 'string', format: 'uri' },
      expiresAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'Null for remote recordings',
      },
    },
  },
}

const notFound = error('Not in your organization')
const invalid = error('Invalid input (field errors in error.details.fields)')

/** The seven CRUD + restore operations of one resource. */
function crud(options: {
  path: string
  schema: string
  label: string
  listParams: object[]
  createBody: object
  updateBody: object
  inUse: string
  createErrors?: Record<number, object>
}) {
  const { schema, label } = options
  const update = {
    summary: `Update a ${label} (partial; owner, PBX admin)`,
    parameters: [idParam],
    requestBody: { content: json(options.updateBody) },
    responses: {
      200: ok('Updated', one(schema)),
      404: notFound,
      409: error('Conflicts with another live row'),
      422: invalid,
      ...commonErrors,
    },
  }
  return {
    [options.path]: {
      get: {
        summary: `List ${label}s (every member)`,
        parameters: options.listParams,
        responses: { 200: ok('A page', page(schema)), 422: invalid, ...commonErrors },
      },
      post: {
        summary: `Create a ${label} (owner, PBX admin)`,
        requestBody: options.createBody,
        responses: {
          201: ok('Created', one(schema)),
          409: error('A simultaneous create took the same number or name'),
          ...options.createErrors,
          422: invalid,
          ...commonErrors,
        },
      },
    },
    [`${options.path}/{id}`]: {
      get: {
        summary: `Show a ${label}`,
        parameters: [idParam],
        responses: { 200: ok(label, one(schema)), 404: notFound, ...commonErrors },
      },
      patch: update,
      put: { ...update, summary: 'Same as PATCH' },
      delete: {
        summary: `Soft-delete a ${label} (owner, PBX admin)`,
        parameters: [idParam],
        responses: {
          204: { description: 'Deleted' },
          404: notFound,
          409: error(`E_RESOURCE_IN_USE: ${options.inUse}; details.references lists them`),
          ...commonErrors,
        },
      },
    },
    [`${options.path}/{id}/restore`]: {
      post: {
        summary: `Restore a soft-deleted ${label} (owner, PBX admin)`,
        parameters: [idParam],
        responses: {
          200: ok('Restored', one(schema)),
          404: error(`No deleted ${label} with this id in your organization`),
          409: error('Another live row now uses its number or name'),
          ...commonErrors,
        },
      },
    },
  }
}

export const mediaPaths = {
  ...crud({
    path: '/conference-rooms',
    schema: 'ConferenceRoom',
    label: 'conference room',
    listParams: [
      ...listParams(['number', 'name', 'created_at']),
      { name: 'status', in: 'query', schema: status },
    ],
    createBody: {
      content: json({
        type: 'object',
        required: ['number', 'name'],
        properties: roomFields,
      }),
    },
    updateBody: { type: 'object', properties: roomFields },
    inUse: 'an extension still routes to this room',
  }),
  ...crud({
    path: '/recordings',
    schema: 'Recording',
    createErrors: { 413: error('The upload is larger than the size limit') },
    label: 'recording',
    listParams: [
      ...listParams(['name', 'created_at', 'size']),
      { name: 'kind', in: 'query', schema: { enum: ['upload', 'remote'] } },
      { name: 'status', in: 'query', schema: status },
    ],
    createBody: {
      description:
        'Upload a file (multipart) or link a remote prompt (JSON). Uploads are checked by ' +
        'their bytes; remote URLs must be http(s), without credentials, and resolve only ' +
        'to public addresses.',
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['name', 'file'],
            properties: {
              name: { type: 'string', maxLength: 120 },
              file: {
                type: 'string',
                format: 'binary',
                contentMediaType: 'audio/wav',
                description: 'WAV or MP3, at most 20 MB, extension matching the content',
              },
            },
          },
          encoding: { file: { contentType: 'audio/wav, audio/mpeg' } },
        },
        'application/json': {
          schema: {
            type: 'object',
            required: ['name', 'remoteUrl'],
            properties: {
              name: { type: 'string', maxLength: 120 },
              remoteUrl: { type: 'string', format: 'uri', maxLength: 2048 },
            },
          },
        },
      },
    },
    updateBody: {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 120 }, status },
    },
    inUse: 'an IVR menu or greeting still plays it',
  }),
  '/recordings/{id}/url': {
    get: {
      summary: 'A playback/download URL: signed and valid 10 minutes for uploads',
      description:
        'Uploaded files are only ever served through this signed URL (GET /files/{token}); ' +
        'remote recordings answer their own URL.',
      parameters: [idParam],
      responses: { 200: ok('URL', one('RecordingUrl')), 404: notFound, ...commonErrors },
    },
  },
}
