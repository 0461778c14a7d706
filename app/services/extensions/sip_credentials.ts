import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { errors } from '@vinejs/vine'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Extension from '#models/extension'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { maskSecret } from '#services/secrets/secret_box'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/** 32 URL-safe characters (192 random bits): typed into a softphone once, never remembered. */
export function generateSipPassword() {
  return randomBytes(24).toString('base64url')
}

/**
 * The SIP username defaults to the number, which may already be another extension's
 * explicit username: checked here because the validator only sees what was sent.
 */
export async function assertSipUsernameFree(
  organizationId: number,
  username: string,
  ignoreId: number | null,
  trx: TransactionClientContract,
) {
  const query = trx
    .from('extensions')
    .where('organization_id', organizationId)
    .where('sip_username', username)
    .whereNull('deleted_at')
  if (ignoreId) query.whereNot('id', ignoreId)
  if (await query.first()) {
    throw new errors.E_VALIDATION_ERROR([
      {
        field: 'sipUsername',
        message: `The SIP username "${username}" is already used in your organization`,
        rule: 'uniqueInOrganization',
      },
    ])
  }
}

export default class SipCredentials {
  /** New password for a user extension; the caller shows it once and it is never readable again. */
  async rotate(extension: Extension, actor: Actor) {
    /* Only phones register: aliases and forwards have no credentials to rotate. */
    if (extension.type !== 'user')
      throw ApiException.conflict('Only user extensions have SIP credentials')
    const password = generateSipPassword()
    await db.transaction(async (trx) => {
      extension.useTransaction(trx)
      extension.sipPassword = password
      await extension.save()
      await AuditTrail.record(
        actor,
        {
          action: 'extension.sip_password_rotated',
          subjectType: 'extension',
          subjectId: extension.id,
          metadata: { sipUsername: extension.sipUsername, sipPassword: maskSecret(password) },
        },
        trx,
      )
    })
    return password
  }
}
