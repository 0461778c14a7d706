import mail from '@adonisjs/mail/services/main'
import env from '#start/env'
import type Organization from '#models/organization'
import User from '#models/user'
import { outboundSuspensionOf } from '#services/fraud/outbound_suspension'

/**
 * One email per active owner of the tenant. A suspension already lifted by the time the
 * job runs is not announced (the owner who lifted it knows).
 */
export async function sendTollFraudAlert(organization: Organization, reason: string) {
  const suspension = await outboundSuspensionOf(organization.id)
  if (!suspension) return 0
  const owners = await User.query()
    .withScopes((scope) => scope.forOrganization(organization))
    .where('role', 'owner')
    .where('status', 'active')
    .whereNull('deleted_at')
  const lines = [
    `Outbound calling for ${organization.name} was suspended at ${suspension.since}`,
    `because of ${reason}.`,
    '',
    'This is what toll fraud looks like: a compromised phone or account pumping calls to',
    'expensive destinations. Inbound and internal calls keep working.',
    '',
    'Check your extensions, forwarding rules and outbound rules, then lift the suspension',
    `in the settings (${env.get('APP_URL')}) or with DELETE /api/v1/settings/outbound-suspension.`,
  ]
  for (const owner of owners) {
    await mail.send((message) => {
      message
        .to(owner.email)
        .subject(`Outbound calling suspended for ${organization.name} (toll-fraud guard)`)
        .text(lines.join('\n'))
    })
  }
  return owners.length
}
