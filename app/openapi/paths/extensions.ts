/* OpenAPI paths and schemas of the extensions area (see docs/development.md). */
import { EXTENSION_STATUSES, EXTENSION_TYPES } from '#enums/extensions'
import { commonErrors, error, idParam, json, listParams, one, page } from '#openapi/helpers'

const nullableString = { type: ['string', 'null'] }
const forwardingRule = {
  type: 'object',
  required: ['enabled'],
  properties: {
    enabled: { type: 'boolean' },
    destination: {
      ...nullableString,
      description: 'E.164 number, SIP URI or an extension number; required when enabled',
    },
  },
}
const noAnswerRule = {
  ...forwardingRule,
  properties: {
    ...forwardingRule.properties,
    timeoutSeconds: { type: 'integer', minimum: 5, maximum: 120, default: 20 },
  },
}
const forwarding = {
  type: 'object',
  properties: {
    always: forwardingRule,
    busy: forwardingRule,
    noAnswer: noAnswerRule,
    unreachable: forwardingRule,
  },
}
const followMe = {
  type: 'object',
  required: ['enabled', 'numbers'],
  properties: {
    enabled: { type: 'boolean' },
    numbers: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        required: ['number', 'ringSeconds'],
        properties: {
          number: { type: 'string' },
          ringSeconds: { type: 'integer', minimum: 5, maximum: 120 },
        },
      },
    },
  },
}
const configuration = {
  type: 'object',
  description:
    'By type: conference {conference_room_id}; ring_group {ring_group_id}; ivr {ivr_menu_id}; ' +
    'ai_assistant {provider, phone_number (E.164)}; forward {forward_to}; any non-user type ' +
    'may add sip_uri. user: {record_calls?: default|always|never} (always/never override the ' +
    'organization recording setting for calls ringing it).',
  additionalProperties: true,
}

const extensionProperties = {
  id: { type: 'integer' },
  organizationId: { type: 'integer' },
  number: { type: 'string', pattern: '^\\d{2,6}$' },
  name: { type: 'string' },
  type: { enum: [...EXTENSION_TYPES] },
  status: { enum: [...EXTENSION_STATUSES] },
  userId: { type: ['integer', 'null'] },
  user: {
    type: ['object', 'null'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      email: { type: 'string' },
    },
  },
  configuration,
  sipUsername: nullableString,
  sipUri: nullableString,
  hasSipUri: { type: 'boolean' },
  voicemailEnabled: { type: 'boolean' },
  dndEnabled: { type: 'boolean' },
  forwarding,
  followMe,
  sipPassword: {
    type: ['string', 'null'],
    description:
      'Only in the create response (and an update that made it a user extension); ' +
      'null when a non-user extension is created',
  },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  deletedAt: { type: ['string', 'null'], format: 'date-time' },
}

export const extensionsSchemas = {
  Extension: {
    type: 'object',
    // sipPassword appears only when one was just generated; every other field always does.
    required: Object.keys(extensionProperties).filter((key) => key !== 'sipPassword'),
    properties: extensionProperties,
  },
  VoicemailBox: {
    type: 'object',
    properties: {
      id: { type: ['integer', 'null'], description: 'null until first saved (defaults shown)' },
      extensionId: { type: 'integer' },
      pinSet: { type: 'boolean' },
      email: { type: ['string', 'null'] },
      notify: { type: 'boolean' },
      attachAudio: { type: 'boolean' },
      retentionDays: { type: 'integer', minimum: 1, maximum: 365 },
      maxMessages: { type: 'integer', minimum: 1, maximum: 1000 },
      hasGreeting: { type: 'boolean' },
      createdAt: { type: ['string', 'null'], format: 'date-time' },
      updatedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  VoicemailMessage: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      extensionId: { type: 'integer' },
      callerNumber: nullableString,
      callerName: nullableString,
      durationSeconds: { type: 'integer' },
      read: { type: 'boolean' },
      readAt: { type: ['string', 'null'], format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      deletedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
}

const notFound = error('Not in your organization')
const invalid = error('Invalid input (field errors in error.details.fields)')
const extensionOk = (description: string) => ({ description, content: json(one('Extension')) })
const extensionBody = {
  type: 'object',
  properties: {
    number: { type: 'string', pattern: '^\\d{2,6}$', description: 'create only' },
    name: { type: 'string', maxLength: 120 },
    type: { enum: [...EXTENSION_TYPES] },
    status: { enum: [...EXTENSION_STATUSES] },
    voicemailEnabled: { type: 'boolean' },
    configuration,
    userId: { type: ['integer', 'null'], description: 'user extensions only' },
    sipUsername: { type: 'string', description: 'user extensions only; defaults to the number' },
    sipPassword: { type: 'string', minLength: 16, description: 'generated when absent' },
  },
}
const settingsOp = (summary: string, body?: object) => ({
  summary,
  parameters: [idParam],
  ...(body ? { requestBody: { content: json(body) } } : {}),
  responses: { 200: extensionOk('Updated'), 404: notFound, 422: invalid, ...commonErrors },
})

export const extensionsPaths = {
  '/extensions': {
    get: {
      summary: 'List extensions (every role)',
      parameters: [
        ...listParams(['number', 'name', 'type', 'created_at']),
        { name: 'type', in: 'query', schema: { enum: [...EXTENSION_TYPES] } },
        { name: 'status', in: 'query', schema: { enum: [...EXTENSION_STATUSES] } },
        { name: 'userId', in: 'query', schema: { type: 'integer' } },
      ],
      responses: {
        200: { description: 'A page', content: json(page('Extension')) },
        422: invalid,
        ...commonErrors,
      },
    },
    post: {
      summary: 'Create an extension (owner, PBX admin); the SIP password is shown only here',
      requestBody: {
        content: json({ ...extensionBody, required: ['number', 'name', 'type'] }),
      },
      responses: { 201: extensionOk('Created'), 422: invalid, ...commonErrors },
    },
  },
  '/extensions/{id}': {
    get: {
      summary: 'One extension',
      parameters: [idParam],
      responses: { 200: extensionOk('Extension'), 404: notFound, ...commonErrors },
    },
    patch: {
      summary:
        'Update (owner, PBX admin); a PBX user may change only voicemailEnabled of their own',
      parameters: [idParam],
      requestBody: { content: json(extensionBody) },
      responses: { 200: extensionOk('Updated'), 404: notFound, 422: invalid, ...commonErrors },
    },
    delete: {
      summary: 'Soft-delete (owner, PBX admin); 409 while something still routes to it',
      parameters: [idParam],
      responses: {
        204: { description: 'Deleted' },
        404: notFound,
        409: error('Still referenced (E_RESOURCE_IN_USE, details.references)'),
        ...commonErrors,
      },
    },
  },
  '/extensions/{id}/restore': {
    post: {
      summary: 'Restore a soft-deleted extension',
      parameters: [idParam],
      responses: {
        200: extensionOk('Restored'),
        404: error('No deleted extension with this id in your organization'),
        409: error('Its number or SIP username is used by another extension now'),
        ...commonErrors,
      },
    },
  },
  '/extensions/{id}/sip-password': {
    post: {
      summary: 'Rotate the SIP password (owner, PBX admin); the new one is shown only here',
      parameters: [idParam],
      responses: {
        200: {
          description: 'Rotated',
          content: json({
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: {
                  id: { type: 'integer' },
                  sipUsername: { type: 'string' },
                  sipPassword: { type: 'string' },
                },
              },
            },
          }),
        },
        404: notFound,
        409: error('Not a user extension'),
        ...commonErrors,
      },
    },
  },
  '/extensions/{id}/dnd': {
    put: settingsOp('Switch do-not-disturb on (idempotent)'),
    delete: settingsOp('Switch do-not-disturb off (idempotent)'),
  },
  '/extensions/{id}/forwarding': {
    put: settingsOp('Replace call forwarding rules (left-out conditions are off)', forwarding),
  },
  '/extensions/{id}/follow-me': {
    put: settingsOp('Replace the ordered follow-me list (max 10)', followMe),
  },
  '/extensions/{id}/voicemail-box': {
    get: {
      summary: 'The voicemail box settings (defaults until first saved); never the PIN',
      parameters: [idParam],
      responses: {
        200: { description: 'Box', content: json(one('VoicemailBox')) },
        404: notFound,
        ...commonErrors,
      },
    },
    put: {
      summary: 'Create or update the voicemail box (PIN stored hashed; null removes it)',
      parameters: [idParam],
      requestBody: {
        content: json({
          type: 'object',
          properties: {
            pin: { type: ['string', 'null'], pattern: '^\\d{4,10}$' },
            email: { type: ['string', 'null'], format: 'email' },
            notify: { type: 'boolean' },
            attachAudio: { type: 'boolean' },
            retentionDays: { type: 'integer', minimum: 1, maximum: 365 },
            maxMessages: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        }),
      },
      responses: {
        200: { description: 'Saved', content: json(one('VoicemailBox')) },
        404: notFound,
        422: invalid,
        ...commonErrors,
      },
    },
  },
  '/extensions/{id}/voicemail-box/greeting': {
    put: {
      summary: 'Upload the greeting: multipart field `greeting`, a RIFF/WAVE file of at most 5 MB',
      parameters: [idParam],
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['greeting'],
              properties: { greeting: { type: 'string', format: 'binary' } },
            },
          },
        },
      },
      responses: {
        200: { description: 'Saved', content: json(one('VoicemailBox')) },
        404: notFound,
        422: invalid,
        ...commonErrors,
      },
    },
  },
  '/extensions/{id}/voicemail-messages': {
    get: {
      summary: "Voicemail of an extension (owner, PBX admin, or the extension's own PBX user)",
      parameters: [
        idParam,
        ...listParams(['received_at']),
        { name: 'read', in: 'query', schema: { type: 'boolean' } },
      ],
      responses: {
        200: { description: 'A page', content: json(page('VoicemailMessage')) },
        404: notFound,
        422: invalid,
        ...commonErrors,
      },
    },
  },
  '/voicemail-messages/{id}': {
    patch: {
      summary: 'Mark read or unread',
      parameters: [idParam],
      requestBody: {
        content: json({
          type: 'object',
          required: ['read'],
          properties: { read: { type: 'boolean' } },
        }),
      },
      responses: {
        200: { description: 'Updated', content: json(one('VoicemailMessage')) },
        404: notFound,
        422: invalid,
        ...commonErrors,
      },
    },
    delete: {
      summary: 'Soft-delete a message',
      parameters: [idParam],
      responses: { 204: { description: 'Deleted' }, 404: notFound, ...commonErrors },
    },
  },
  '/voicemail-messages/{id}/restore': {
    post: {
      summary: 'Restore a soft-deleted message',
      parameters: [idParam],
      responses: {
        200: { description: 'Restored', content: json(one('VoicemailMessage')) },
        404: notFound,
        ...commonErrors,
      },
    },
  },
  '/voicemail-messages/{id}/audio': {
    get: {
      summary: 'A signed URL to the audio, valid 10 minutes',
      parameters: [idParam],
      responses: {
        200: {
          description: 'Signed URL',
          content: json({
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: {
                  url: { type: 'string', format: 'uri' },
                  expiresAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          }),
        },
        404: notFound,
        ...commonErrors,
      },
    },
  },
}
