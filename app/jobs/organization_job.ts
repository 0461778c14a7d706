import type { Logger } from '@adonisjs/core/logger'
import Organization from '#models/organization'

export type OrganizationJobPayload = { organizationId: number }

/**
 * Base of every job. The payload always names its organization, and the job re-loads it
 * when it runs: a job never trusts state captured at dispatch time, and a job for an
 * organization that has since been deleted or suspended is discarded, not run.
 */
export abstract class OrganizationJob<Payload extends OrganizationJobPayload> {
  static jobName: string

  abstract handle(payload: Payload, organization: Organization, logger: Logger): Promise<void>

  /** Whether a suspended organization's jobs still run (e.g. clean-up work). */
  runsWhenSuspended = false

  async run(payload: Payload, logger: Logger) {
    const organization = await Organization.query()
      .where('id', payload.organizationId)
      .whereNull('deleted_at')
      .first()
    if (!organization) {
      logger.warn(
        { organizationId: payload.organizationId },
        'job discarded: organization no longer exists',
      )
      return
    }
    if (organization.status !== 'active' && !this.runsWhenSuspended) {
      logger.warn({ organizationId: organization.id }, 'job discarded: organization is suspended')
      return
    }
    await this.handle(payload, organization, logger)
  }
}

export type OrganizationJobClass = {
  jobName: string
  new (): OrganizationJob<any>
}
