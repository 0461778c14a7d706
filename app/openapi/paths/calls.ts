/*
 * OpenAPI paths and schemas of live call control: the organization's calls in progress,
 * hang up and transfer (sent to voip-edge's signed control API).
 */
import { commonErrors, error, idParam, json, ok, page } from '#openapi/helpers'

const edgeErrors = {
  502: error('voip-edge refused the request (e.g. the signing secrets differ)'),
  503: error('voip-edge is unreachable, did not answer in time, or call control is not configured'),
}

export const callsSchemas = {
  CallCommandResult: {
    type: 'object',
    required: ['id', 'callId'],
    properties: {
      id: { type: 'integer' },
      callId: { type: 'string' },
      hungUp: { type: 'boolean' },
      transferred: { type: 'boolean' },
      target: { type: 'string' },
      targetKind: { enum: ['extension', 'pstn'] },
    },
  },
}

const result = {
  type: 'object',
  properties: { data: { $ref: '#/components/schemas/CallCommandResult' } },
}

export const callsPaths = {
  '/calls/active': {
    get: {
      summary: 'Calls in progress (initiated, ringing, answered), newest first. Owners and admins.',
      parameters: [
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
        {
          name: 'perPage',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
        },
      ],
      responses: {
        200: ok('A page of active calls', page('CallLog')),
        422: error('Invalid page parameters'),
        ...commonErrors,
      },
    },
  },
  '/calls/{id}/hangup': {
    post: {
      summary: 'Hang up an active call on both sides. Owners and admins; audited.',
      parameters: [idParam],
      responses: {
        200: ok('The call was hung up', result),
        404: error(
          'No active call with this id in your organization, or the edge has no such call',
        ),
        ...edgeErrors,
        ...commonErrors,
      },
    },
  },
  '/calls/{id}/transfer': {
    post: {
      summary:
        'Transfer an active call to one of your extensions or to an E.164 number your outbound rules allow. Owners and admins; audited.',
      parameters: [idParam],
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['target'],
          properties: { target: { type: 'string', examples: ['1002', '+442071234567'] } },
        }),
      },
      responses: {
        200: ok('The call was transferred', result),
        404: error(
          'No active call with this id in your organization, or the edge has no such call',
        ),
        409: error('The call is not answered yet (E_CALL_NOT_ANSWERED)'),
        422: error('Missing or disallowed target'),
        ...edgeErrors,
        ...commonErrors,
      },
    },
  },
}
