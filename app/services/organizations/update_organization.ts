import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import AuditTrail from '#services/audit/audit_trail'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

export default class UpdateOrganization {
  async handle(
    organization: Organization,
    input: { name?: string; timezone?: string },
    actor: Actor,
  ) {
    return db.transaction(async (trx) => {
      const before = { name: organization.name, timezone: organization.timezone }
      organization.useTransaction(trx)
      organization.merge(input)
      await organization.save()
      await AuditTrail.record(
        actor,
        {
          action: 'organization.updated',
          subjectType: 'organization',
          subjectId: organization.id,
          before,
          after: { name: organization.name, timezone: organization.timezone },
        },
        trx,
      )
      return organization
    })
  }
}
