import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'
import { mwiState, pushMwi } from '#services/voicemail/mwi'

export type MwiUpdatePayload = OrganizationJobPayload & { extensionId: number }

/*
 * Sends the mailbox's current counts, read when the job runs (not when it was queued), so
 * retried or reordered jobs still end with the right lamp.
 */
export default class MwiUpdateJob extends OrganizationJob<MwiUpdatePayload> {
  static jobName = 'voicemail.mwi'

  async handle(payload: MwiUpdatePayload, organization: Organization, logger: Logger) {
    const state = await mwiState(organization.id, payload.extensionId)
    if (!state) return
    const edges = await pushMwi(state)
    logger.info({ extensionId: payload.extensionId, edges, ...state }, 'mwi pushed')
  }
}
