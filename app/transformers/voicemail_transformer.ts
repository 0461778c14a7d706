import type VoicemailBox from '#models/voicemail_box'
import type VoicemailMessage from '#models/voicemail_message'

/** Never the PIN hash nor the storage key: only whether they are set. */
export function serializeVoicemailBox(box: VoicemailBox) {
  return {
    id: box.id ?? null,
    extensionId: box.extensionId,
    pinSet: box.pinHash !== null,
    email: box.email,
    notify: box.notify,
    attachAudio: box.attachAudio,
    retentionDays: box.retentionDays,
    maxMessages: box.maxMessages,
    hasGreeting: box.greetingKey !== null,
    createdAt: box.createdAt?.toISO() ?? null,
    updatedAt: box.updatedAt?.toISO() ?? null,
  }
}

export function serializeVoicemailMessage(message: VoicemailMessage) {
  return {
    id: message.id,
    extensionId: message.extensionId,
    callerNumber: message.callerNumber,
    callerName: message.callerName,
    durationSeconds: message.durationSeconds,
    read: message.readAt !== null,
    readAt: message.readAt?.toISO() ?? null,
    receivedAt: message.receivedAt.toISO(),
    createdAt: message.createdAt.toISO(),
    deletedAt: message.deletedAt?.toISO() ?? null,
  }
}
