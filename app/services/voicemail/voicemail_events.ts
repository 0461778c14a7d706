import logger from '@adonisjs/core/services/logger'
import queueService from '#services/queue/queue_service'
import VoicemailEmailJob from '#jobs/voicemail_email_job'
import MwiUpdateJob from '#jobs/mwi_update_job'

/*
 * Follow-up work of a mailbox change, queued so that neither the caller nor the API user
 * waits for SMTP or the edge. A queue outage is logged and does not undo the change: the
 * message is stored either way, and the next change re-sends the full counts.
 */
async function dispatch(work: () => Promise<unknown>, context: Record<string, unknown>) {
  try {
    await work()
  } catch (error) {
    logger.error({ err: error, ...context }, 'voicemail follow-up not queued')
  }
}

/** A new message was stored: email the owner (when enabled) and update the lamp. */
export async function voicemailReceived(message: {
  id: number
  organizationId: number
  extensionId: number
}) {
  const context = { organizationId: message.organizationId, messageId: message.id }
  await dispatch(
    () =>
      queueService.dispatch(VoicemailEmailJob, {
        organizationId: message.organizationId,
        messageId: message.id,
      }),
    context,
  )
  await voicemailCountsChanged(message.organizationId, message.extensionId)
}

/** A message was read, unread, deleted or restored: the edge re-sends the counts. */
export async function voicemailCountsChanged(organizationId: number, extensionId: number) {
  await dispatch(() => queueService.dispatch(MwiUpdateJob, { organizationId, extensionId }), {
    organizationId,
    extensionId,
  })
}
