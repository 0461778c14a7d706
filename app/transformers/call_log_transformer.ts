import type CallLog from '#models/call_log'
import type CallDetailRecord from '#models/call_detail_record'

/* The recording key is a storage path: callers get signed URLs from the media area. */
export function serializeCallLog(log: CallLog) {
  return {
    id: log.id,
    callId: log.callId,
    direction: log.direction,
    fromNumber: log.fromNumber,
    toNumber: log.toNumber,
    status: log.status,
    initiatedAt: log.initiatedAt.toISO(),
    answeredAt: log.answeredAt?.toISO() ?? null,
    endedAt: log.endedAt?.toISO() ?? null,
    durationSeconds: log.durationSeconds,
    extensionId: log.extensionId,
    phoneNumberId: log.phoneNumberId,
    hasRecording: log.recordingKey !== null,
    createdAt: log.createdAt.toISO(),
  }
}

/** The list shape; `rawCdr` only on show, since it can be large (CXML stages). */
export function serializeCdr(cdr: CallDetailRecord, withRaw = false) {
  return {
    id: cdr.id,
    sessionTimestamp: cdr.sessionTimestamp.toISO(),
    sessionToken: cdr.sessionToken,
    sessionId: cdr.sessionId,
    callId: cdr.callId,
    from: cdr.from,
    to: cdr.to,
    disposition: cdr.disposition,
    duration: cdr.duration,
    billsec: cdr.billsec,
    domain: cdr.domain,
    subscriber: cdr.subscriber,
    cxTrunkId: cdr.cxTrunkId,
    application: cdr.application,
    route: cdr.route,
    ratedCost: cdr.ratedCost,
    approxCost: cdr.approxCost,
    sellCost: cdr.sellCost,
    vappServer: cdr.vappServer,
    callStartTime: cdr.callStartTime?.toISO() ?? null,
    callAnswerTime: cdr.callAnswerTime?.toISO() ?? null,
    callEndTime: cdr.callEndTime?.toISO() ?? null,
    status: cdr.status,
    extensionId: cdr.extensionId,
    ...(withRaw ? { rawCdr: cdr.rawCdr } : {}),
    createdAt: cdr.createdAt.toISO(),
  }
}
