/*
 * The fields of a Cloudonix voice request (contract §1.2, §6.5) the router reads. Cloudonix
 * posts JSON, OPBX-era senders post forms and GET applications use the query string, so
 * the body and the query are merged (body wins) and every value is read as bounded text:
 * nothing here is trusted to be well-formed.
 */

export type CallRequest = {
  callSid: string | null
  from: string
  to: string
  callerName: string | null
  direction: string
  domain: string | null
  /* Dial actions: `DialCallStatus ?? CallStatus` (the docs and the Java SDK disagree). */
  dialStatus: string | null
  digits: string | null
  recordingUrl: string | null
  recordingDuration: number
}

type Fields = Record<string, unknown>

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/g

function text(fields: Fields, key: string, max = 255): string | null {
  const value = fields[key]
  if (typeof value !== 'string' && typeof value !== 'number') return null
  // Control characters (NUL above all) are never part of a number or name, and
  // PostgreSQL refuses NUL in text: a lookup with one would fail instead of finding nothing.
  const trimmed = String(value).replace(CONTROL_CHARACTERS, '').trim()
  return trimmed === '' ? null : trimmed.slice(0, max)
}

function sessionToken(fields: Fields) {
  const session = fields.SessionData
  const token = session && typeof session === 'object' ? (session as Fields).token : undefined
  return text(fields, 'CallSid') ?? text(fields, 'Session') ?? text({ token }, 'token')
}

export function parseCallRequest(body: unknown, query: Fields, headers: Fields): CallRequest {
  const fields: Fields = { ...query, ...(body && typeof body === 'object' ? body : {}) }
  const duration = Number(text(fields, 'RecordingDuration') ?? 0)
  return {
    callSid: sessionToken(fields) ?? text(headers, 'x-cx-session'),
    from: text(fields, 'From') ?? '',
    to: text(fields, 'To') ?? '',
    callerName: text(fields, 'CallerName'),
    direction: (text(fields, 'Direction') ?? 'inbound').toLowerCase(),
    domain:
      (
        text(fields, 'Domain') ??
        text(fields, 'AccountSid') ??
        text(headers, 'x-cx-domain')
      )?.toLowerCase() ?? null,
    dialStatus:
      (text(fields, 'DialCallStatus') ?? text(fields, 'CallStatus'))?.toLowerCase() ?? null,
    digits: text(fields, 'Digits', 32),
    recordingUrl: text(fields, 'RecordingUrl', 2048),
    recordingDuration: Number.isFinite(duration) ? Math.max(0, Math.round(duration)) : 0,
  }
}

/* Only these end a hunt stage without a conversation (contract §6.5). */
const UNANSWERED = new Set(['no-answer', 'busy', 'failed', 'canceled'])

/*
 * Anything else (completed, answered, in-progress, an unknown or missing status) means a
 * conversation may have happened: the caller is never sent on to ring someone else.
 */
export function dialUnanswered(request: CallRequest) {
  return request.dialStatus !== null && UNANSWERED.has(request.dialStatus)
}
