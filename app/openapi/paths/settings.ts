/*
 * OpenAPI paths and schemas of the settings area: PBX settings, webhook secrets, call
 * logs, CDRs and the caller's profile.
 */
import { CALL_DIRECTIONS, CALL_STATUSES, RECORDING_FORMATS, TENANT_MODES } from '#enums/settings'
import { commonErrors, error, idParam, json, ok, one, page, ref } from '#openapi/helpers'

const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra })
const dateTime = { type: 'string', format: 'date-time' }
const retention = { type: 'integer', minimum: 1, maximum: 3650 }

/* Response objects: every property is always present unless listed as optional. */
function object(properties: Record<string, object>, optional: string[] = []) {
  const required = Object.keys(properties).filter((key) => !optional.includes(key))
  return { type: 'object', required, properties }
}

const settingsShape = (input: boolean) => {
  const shape = input
    ? (properties: Record<string, object>) => ({ type: 'object', properties })
    : object
  return shape({
    tenantMode: { enum: [...TENANT_MODES] },
    cloudonix: shape({
      domainUuid: nullable('string', { format: 'uuid' }),
      domainName: nullable('string', { maxLength: 255 }),
      ...(input
        ? { apiKey: nullable('string', { minLength: 8, maxLength: 255, writeOnly: true }) }
        : { apiKeySet: { type: 'boolean' }, apiKeyMasked: nullable('string') }),
      voiceApplicationId: nullable('string'),
      voiceApplicationName: nullable('string'),
      noAnswerTimeout: { type: 'integer', minimum: 5, maximum: 120, default: 60 },
    }),
    recording: shape({
      enabled: { type: 'boolean' },
      format: { enum: [...RECORDING_FORMATS] },
    }),
    retention: shape({
      recordingsDays: retention,
      voicemailDays: retention,
      callLogsDays: retention,
      auditDays: retention,
    }),
    tollFraud: shape({
      enabled: { type: 'boolean', default: true },
      maxInternationalCallsPerHour: { type: 'integer', minimum: 1, maximum: 10000, default: 30 },
      maxBillableMinutesPerDay: { type: 'integer', minimum: 1, maximum: 100000, default: 600 },
      domesticPrefix: nullable('string', {
        pattern: '^\\+[1-9]\\d{0,6}$',
        description: 'E.164 prefix of domestic calls (null: every E.164 number is international)',
      }),
    }),
    ...(input ? {} : { updatedAt: dateTime }),
  })
}

export const settingsSchemas = {
  OrganizationSettings: settingsShape(false),
  OutboundSuspension: object({
    suspended: { type: 'boolean' },
    since: nullable('string', { format: 'date-time' }),
    reason: nullable('string'),
  }),
  WebhookSecret: object({
    id: { type: 'integer' },
    maskedValue: { type: 'string' },
    createdAt: dateTime,
    expiresAt: nullable('string', { format: 'date-time' }),
    revokedAt: nullable('string', { format: 'date-time' }),
    active: { type: 'boolean' },
  }),
  CallLog: object({
    id: { type: 'integer' },
    callId: { type: 'string' },
    direction: { enum: [...CALL_DIRECTIONS] },
    fromNumber: { type: 'string' },
    toNumber: { type: 'string' },
    status: { enum: [...CALL_STATUSES] },
    initiatedAt: dateTime,
    answeredAt: nullable('string', { format: 'date-time' }),
    endedAt: nullable('string', { format: 'date-time' }),
    durationSeconds: nullable('integer'),
    extensionId: nullable('integer'),
    phoneNumberId: nullable('integer'),
    hasRecording: { type: 'boolean' },
    createdAt: dateTime,
  }),
  Cdr: object(
    {
      id: { type: 'integer' },
      sessionTimestamp: dateTime,
      sessionToken: nullable('string'),
      sessionId: nullable('integer'),
      callId: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      disposition: { type: 'string', examples: ['CONNECTED', 'BUSY', 'NOANSWER'] },
      duration: { type: 'integer' },
      billsec: { type: 'integer' },
      domain: nullable('string'),
      subscriber: nullable('string'),
      cxTrunkId: nullable('integer'),
      application: nullable('string'),
      route: nullable('string'),
      ratedCost: nullable('number'),
      approxCost: nullable('number'),
      sellCost: nullable('number'),
      vappServer: nullable('string'),
      callStartTime: nullable('string', { format: 'date-time' }),
      callAnswerTime: nullable('string', { format: 'date-time' }),
      callEndTime: nullable('string', { format: 'date-time' }),
      status: nullable('string'),
      extensionId: nullable('integer'),
      rawCdr: {
        type: 'object',
        description: 'The CDR as received from Cloudonix, keys as sent (show only)',
        additionalProperties: true,
      },
      createdAt: dateTime,
    },
    ['rawCdr'],
  ),
}

const callFilters = (sortable: string[]) => [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
  { name: 'sort', in: 'query', schema: { enum: sortable.flatMap((f) => [f, `-${f}`]) } },
  {
    name: 'from',
    in: 'query',
    description: 'Start bound (inclusive): YYYY-MM-DD (UTC day) or an ISO-8601 instant',
    schema: { type: 'string' },
  },
  {
    name: 'to',
    in: 'query',
    description: 'End bound (inclusive; a bare day means through its end)',
    schema: { type: 'string' },
  },
  {
    name: 'number',
    in: 'query',
    description: 'Matches part of the calling or called number',
    schema: { type: 'string', pattern: '^[0-9+*#]{1,32}$' },
  },
  { name: 'extensionId', in: 'query', schema: { type: 'integer', minimum: 1 } },
]
const callLogFilters = [
  ...callFilters(['initiated_at', 'duration']),
  { name: 'direction', in: 'query', schema: { enum: [...CALL_DIRECTIONS] } },
  { name: 'status', in: 'query', schema: { enum: [...CALL_STATUSES] } },
]
const pbxUserNote = 'PBX users see only calls of extensions assigned to them.'

export const settingsPaths = {
  '/settings': {
    get: {
      summary: 'PBX settings (owner, PBX admin); created with defaults on first read',
      responses: { 200: ok('Settings', one('OrganizationSettings')), ...commonErrors },
    },
    put: {
      summary: 'Change PBX settings (owner only); partial, apiKey null clears the key',
      requestBody: { content: json(settingsShape(true)) },
      responses: {
        200: ok('Updated', one('OrganizationSettings')),
        422: error('Invalid input'),
        ...commonErrors,
      },
    },
  },
  '/settings/outbound-suspension': {
    get: {
      summary: 'Whether the toll-fraud guard has suspended outbound calling (owner, PBX admin)',
      responses: { 200: ok('Suspension state', one('OutboundSuspension')), ...commonErrors },
    },
    delete: {
      summary:
        'Lift the toll-fraud suspension (owner, PBX admin; audited); the velocity windows ' +
        'restart empty. Lifting when not suspended changes nothing.',
      responses: { 200: ok('Suspension state', one('OutboundSuspension')), ...commonErrors },
    },
  },
  '/settings/webhook-secrets': {
    get: {
      summary: 'Webhook signing secrets, masked (owner, PBX admin)',
      responses: {
        200: ok('Secrets', {
          type: 'object',
          properties: { data: { type: 'array', items: ref('WebhookSecret') } },
        }),
        ...commonErrors,
      },
    },
  },
  '/settings/webhook-secrets/rotate': {
    post: {
      summary:
        'Create a new secret (shown once); the previous one stays valid for graceHours, ' +
        'older ones expire now (owner only)',
      requestBody: {
        content: json({
          type: 'object',
          properties: { graceHours: { type: 'integer', minimum: 1, maximum: 168, default: 24 } },
        }),
      },
      responses: {
        201: ok('Rotated', {
          type: 'object',
          properties: {
            data: {
              allOf: [
                ref('WebhookSecret'),
                {
                  type: 'object',
                  properties: {
                    secret: { type: 'string', description: 'base64url, 32 bytes; shown once' },
                    previous: { oneOf: [ref('WebhookSecret'), { type: 'null' }] },
                  },
                },
              ],
            },
          },
        }),
        422: error('Invalid input'),
        ...commonErrors,
      },
    },
  },
  '/settings/webhook-secrets/{id}': {
    delete: {
      summary: 'Revoke a secret (owner only)',
      parameters: [idParam],
      responses: {
        204: { description: 'Revoked' },
        404: error('No such live secret in your organization'),
        409: error('It is the last active secret: rotate first'),
        ...commonErrors,
      },
    },
  },
  '/call-logs': {
    get: {
      summary: `Call logs, newest first by default. ${pbxUserNote}`,
      parameters: callLogFilters,
      responses: {
        200: ok('A page of call logs', page('CallLog')),
        422: error('Invalid filter or sort'),
        ...commonErrors,
      },
    },
  },
  '/call-logs/export.csv': {
    get: {
      summary: `The filtered call logs as a streamed CSV attachment. ${pbxUserNote}`,
      parameters: callLogFilters.filter((p) => !['page', 'perPage', 'sort'].includes(p.name)),
      responses: {
        200: {
          description: 'CSV with a header row, newest first',
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        422: error('Invalid filter'),
        ...commonErrors,
      },
    },
  },
  '/call-logs/{id}': {
    get: {
      summary: 'One call log',
      parameters: [idParam],
      responses: {
        200: ok('Call log', one('CallLog')),
        404: error('Not in your organization (or not one of your calls)'),
        ...commonErrors,
      },
    },
  },
  '/call-logs/{id}/recording': {
    get: {
      summary: "A recorded call's audio (WAV): a signed download URL valid 10 minutes",
      description:
        'Calls are recorded when the organization recording setting or the ringing ' +
        "extension's configuration.record_calls asks for it; the edge uploads the WAV " +
        '(both directions mixed) after the call.',
      parameters: [idParam],
      responses: {
        200: ok('URL', one('RecordingUrl')),
        404: error('Not in your organization, not one of your calls, or not recorded'),
        ...commonErrors,
      },
    },
  },
  '/cdrs': {
    get: {
      summary: `Cloudonix CDRs, newest first by default. ${pbxUserNote}`,
      parameters: [
        ...callFilters(['session_timestamp', 'duration']),
        { name: 'disposition', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        200: ok('A page of CDRs', page('Cdr')),
        422: error('Invalid filter or sort'),
        ...commonErrors,
      },
    },
  },
  '/cdrs/{id}': {
    get: {
      summary: 'One CDR, with the raw payload',
      parameters: [idParam],
      responses: {
        200: ok('CDR', one('Cdr')),
        404: error('Not in your organization (or not one of your calls)'),
        ...commonErrors,
      },
    },
  },
  '/profile': {
    get: {
      summary: 'The signed-in user',
      responses: { 200: ok('Profile', one('User')), ...commonErrors },
    },
    put: {
      summary: 'Change own name, phone or email (email needs currentPassword)',
      requestBody: {
        content: json({
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 120 },
            phone: nullable('string'),
            email: { type: 'string', format: 'email' },
            currentPassword: { type: 'string', writeOnly: true },
          },
        }),
      },
      responses: {
        200: ok('Updated', one('User')),
        422: error('Invalid input, email taken, or current password missing/wrong'),
        ...commonErrors,
      },
    },
  },
}
