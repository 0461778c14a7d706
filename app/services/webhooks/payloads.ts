import vine from '@vinejs/vine'

/*
 * Validators for the webhook bodies (contract §3.2, §3.3; OPBX inventory §4.4). Senders
 * add fields over time, so unknown fields are dropped, never refused; the fields we
 * store are checked strictly.
 */

const token = () => vine.string().trim().maxLength(100)
const party = () => vine.string().trim().maxLength(100).nullable().optional()
const epochMs = () => vine.number().withoutDecimals().min(0).nullable().optional()
const text = (max: number) => vine.string().trim().maxLength(max).nullable().optional()

export const sessionUpdateValidator = vine.compile(
  vine.object({
    id: vine.number().withoutDecimals().min(0).nullable().optional(),
    token: token(),
    eventId: text(100),
    domain: text(255),
    callerId: party(),
    destination: party(),
    direction: text(30),
    status: vine.string().trim().maxLength(30),
    action: text(50),
    reason: text(100),
    callStartTime: epochMs(),
    callAnswerTime: epochMs(),
    callEndTime: epochMs(),
  }),
)

const cost = () => vine.number().min(0).nullable().optional()

export const cdrValidator = vine.compile(
  vine.object({
    timestamp: vine.number().withoutDecimals().min(1_000_000_000).nullable().optional(),
    call_id: vine.string().trim().maxLength(255).nullable().optional(),
    from: party(),
    to: party(),
    disposition: vine.string().trim().maxLength(50),
    duration: vine.number().withoutDecimals().min(0).max(864_000),
    billsec: vine.number().withoutDecimals().min(0).max(864_000),
    domain: text(255),
    subscriber: text(100),
    cx_trunk_id: vine.number().withoutDecimals().nullable().optional(),
    application: text(255),
    route: text(255),
    rated_cost: cost(),
    approx_cost: cost(),
    sell_cost: cost(),
    vapp_server: text(50),
    session: vine.object({
      id: vine.number().withoutDecimals().min(0).nullable().optional(),
      token: token(),
      status: text(30),
      callStartTime: epochMs(),
      callAnswerTime: epochMs(),
      callEndTime: epochMs(),
    }),
  }),
)

/* The seed plan's compatibility surface (OPBX CallInitiatedRequest / CallStatusRequest). */
const callId = () =>
  vine
    .string()
    .trim()
    .maxLength(255)
    .regex(/^[A-Za-z0-9_.@:-]+$/)
const e164 = () =>
  vine
    .string()
    .trim()
    .regex(/^\+[1-9]\d{1,14}$/)
const unixSeconds = () =>
  vine.number().withoutDecimals().min(1_000_000_000).max(9_999_999_999).optional()

export const COMPAT_STATUSES = [
  'initiated',
  'ringing',
  'answered',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
  'hangup',
] as const

export const callInitiatedValidator = vine.compile(
  vine.object({
    call_id: callId(),
    from: e164(),
    to: e164(),
    did: e164().optional(),
    direction: vine.enum(['inbound', 'outbound']).optional(),
    timestamp: unixSeconds(),
  }),
)

export const callAnsweredValidator = vine.compile(
  vine.object({ call_id: callId(), timestamp: unixSeconds(), answer_time: unixSeconds() }),
)

export const callEndedValidator = vine.compile(
  vine.object({
    call_id: callId(),
    status: vine
      .enum(['completed', 'busy', 'no-answer', 'failed', 'canceled', 'hangup'])
      .optional(),
    timestamp: unixSeconds(),
    duration: vine.number().withoutDecimals().min(0).max(86_400).optional(),
    disconnect_reason: vine.string().trim().maxLength(100).optional(),
  }),
)

export const callStatusValidator = vine.compile(
  vine.object({
    call_id: callId(),
    status: vine.enum(COMPAT_STATUSES),
    timestamp: unixSeconds(),
    duration: vine.number().withoutDecimals().min(0).max(86_400).optional(),
    disconnect_reason: vine.string().trim().maxLength(100).optional(),
    answer_time: unixSeconds(),
  }),
)
