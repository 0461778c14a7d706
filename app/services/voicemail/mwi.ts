import db from '@adonisjs/lucid/services/db'
import Extension from '#models/extension'
import Organization from '#models/organization'
import { EdgeControlClient, controlUrls } from '#services/calls/edge_control_client'

export type MailboxCounts = { newMessages: number; oldMessages: number }

/** Live messages of one mailbox: unread are "new", read ones "old" (RFC 3842 wording). */
export async function mailboxCounts(
  organizationId: number,
  extensionId: number,
): Promise<MailboxCounts> {
  const row = await db
    .from('voicemail_messages')
    .where('organization_id', organizationId)
    .where('extension_id', extensionId)
    .whereNull('deleted_at')
    .select(
      db.raw('count(*) filter (where read_at is null)::int as new_messages'),
      db.raw('count(*) filter (where read_at is not null)::int as old_messages'),
    )
    .first()
  return { newMessages: row?.new_messages ?? 0, oldMessages: row?.old_messages ?? 0 }
}

/**
 * What the edge needs to light a phone's lamp: the tenant and the AOR its phones register
 * (`<sip username>@<sip domain>`), plus the counts. Null when the mailbox has no phone.
 */
export async function mwiState(organizationId: number, extensionId: number) {
  const organization = await Organization.query()
    .where('id', organizationId)
    .whereNull('deleted_at')
    .first()
  const extension = await Extension.query()
    .withScopes((scopes) => scopes.forOrganization(organizationId))
    .where('id', extensionId)
    .whereNull('deleted_at')
    .first()
  if (!organization?.sipDomain || !extension?.sipUsername) return null
  return {
    organizationId: String(organizationId),
    aor: `${extension.sipUsername}@${organization.sipDomain.toLowerCase()}`,
    ...(await mailboxCounts(organizationId, extensionId)),
  }
}

export type MwiState = NonNullable<Awaited<ReturnType<typeof mwiState>>>

/**
 * Tells every edge the new counts (POST /v1/mwi). Any edge may hold the phone's
 * subscription, so all are told; an unreachable edge throws and the job is retried.
 */
export async function pushMwi(state: MwiState) {
  if (controlUrls().length === 0) return 0
  const answers = await Promise.all(
    EdgeControlClient.allFromEnv().map((edge) => edge.request('POST', '/v1/mwi', state)),
  )
  const refused = answers.find((answer) => answer.status >= 400)
  if (refused) throw new Error(`voip-edge refused the MWI update: ${JSON.stringify(refused.body)}`)
  return answers.length
}
