import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'
import { sendVoicemailEmail } from '#services/voicemail/voicemail_email'

export type VoicemailEmailPayload = OrganizationJobPayload & { messageId: number }

/** Emails the mailbox owner about a new message; SMTP failures are retried by the queue. */
export default class VoicemailEmailJob extends OrganizationJob<VoicemailEmailPayload> {
  static jobName = 'voicemail.email'

  async handle(payload: VoicemailEmailPayload, organization: Organization, logger: Logger) {
    const outcome = await sendVoicemailEmail(organization.id, payload.messageId)
    logger.info({ messageId: payload.messageId, outcome }, 'voicemail email')
  }
}
