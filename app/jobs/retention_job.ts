import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'
import RetentionService from '#services/retention/retention_service'
import Extension from '#models/extension'
import { voicemailCountsChanged } from '#services/voicemail/voicemail_events'

/**
 * Applies one organization's retention settings (see RetentionService). Runs for suspended
 * organizations too: retention promises hold whatever the account state.
 */
export default class RetentionJob extends OrganizationJob<OrganizationJobPayload> {
  static jobName = 'retention.run'
  runsWhenSuspended = true

  async handle(_payload: OrganizationJobPayload, organization: Organization, logger: Logger) {
    const report = await new RetentionService().run(organization.id)
    logger.info({ counts: report.counts, filesDeleted: report.filesDeleted }, 'retention applied')
    // Purged voicemails turn lamps off: every mailbox of the organization re-sends its counts.
    if (report.counts.voicemails > 0) {
      const mailboxes = await Extension.query()
        .withScopes((scopes) => scopes.forOrganization(organization))
        .where('voicemail_enabled', true)
        .whereNull('deleted_at')
        .select('id')
      for (const mailbox of mailboxes) await voicemailCountsChanged(organization.id, mailbox.id)
    }
  }
}
