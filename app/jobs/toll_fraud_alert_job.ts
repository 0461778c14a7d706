import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'
import { sendTollFraudAlert } from '#services/fraud/toll_fraud_email'

export type TollFraudAlertPayload = OrganizationJobPayload & { reason: string }

/** Emails the tenant's owners that outbound calling was suspended; SMTP failures are retried. */
export default class TollFraudAlertJob extends OrganizationJob<TollFraudAlertPayload> {
  static jobName = 'fraud.outbound_suspended_alert'

  async handle(payload: TollFraudAlertPayload, organization: Organization, logger: Logger) {
    const recipients = await sendTollFraudAlert(organization, payload.reason)
    logger.info({ recipients }, 'toll-fraud alert emailed')
  }
}
