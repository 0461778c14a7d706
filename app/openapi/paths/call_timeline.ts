/* OpenAPI fragment of the execution plane's call timeline (app/services/calls/call_timeline.ts). */
import { CALL_STATUSES } from '#enums/settings'
import { commonErrors, error, idParam, ok, ref } from '#openapi/helpers'

const state = { type: ['string', 'null'], enum: [...CALL_STATUSES, null] }

export const callTimelineSchemas = {
  CallTimelineEvent: {
    type: 'object',
    required: [
      'id',
      'source',
      'status',
      'state',
      'previousState',
      'applied',
      'ignoredReason',
      'occurredAt',
      'receivedAt',
      'details',
    ],
    properties: {
      id: { type: 'integer' },
      source: { enum: ['session-update', 'cdr', 'compat'] },
      status: { type: ['string', 'null'], description: "The sender's own status word" },
      state: { ...state, description: 'The call state this event asked for (null: not tracked)' },
      previousState: { enum: [...CALL_STATUSES] },
      applied: { type: 'boolean', description: 'Whether it moved the call state' },
      ignoredReason: {
        type: ['string', 'null'],
        enum: ['stale', 'terminal', null],
        description: 'Why it did not (a late or duplicate event, or the call had ended)',
      },
      occurredAt: { type: 'string', format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
      details: {
        type: 'object',
        description: 'A fixed subset of the payload (times, direction, reason, CDR figures)',
        additionalProperties: true,
      },
    },
  },
}

export const callTimelinePaths = {
  '/call-logs/{id}/timeline': {
    get: {
      summary:
        'The session updates, CDR and compatibility events of one call, in the order they happened (at most 500)',
      parameters: [idParam],
      responses: {
        200: ok('Timeline', {
          type: 'object',
          required: ['data'],
          properties: { data: { type: 'array', items: ref('CallTimelineEvent') } },
        }),
        404: error('Not in your organization (or not one of your calls)'),
        ...commonErrors,
      },
    },
  },
}
