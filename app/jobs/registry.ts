import type { OrganizationJobClass } from '#jobs/organization_job'
import PruneAuditLogsJob from '#jobs/prune_audit_logs_job'
import CdrReceivedJob from '#jobs/cdr_received_job'
import RetentionJob from '#jobs/retention_job'
import RetentionSweepJob from '#jobs/retention_sweep_job'
import VoicemailEmailJob from '#jobs/voicemail_email_job'
import MwiUpdateJob from '#jobs/mwi_update_job'
import TollFraudAlertJob from '#jobs/toll_fraud_alert_job'

/** Every job type the worker processes. */
export const JOBS: OrganizationJobClass[] = [
  PruneAuditLogsJob,
  CdrReceivedJob,
  RetentionJob,
  RetentionSweepJob,
  VoicemailEmailJob,
  MwiUpdateJob,
  TollFraudAlertJob,
]
