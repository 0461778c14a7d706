import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import db from '@adonisjs/lucid/services/db'
import { PASSWORD_POLICY_VERSION } from '#services/auth/password_policy'

/**
 * Passwords are stored hashed, so they cannot be re-checked against a stricter policy.
 * What can be known is which policy version each was set under: users below the current
 * version are flagged to choose a new password at their next sign-in.
 */
export default class EnforcePasswordPolicy extends BaseCommand {
  static commandName = 'users:enforce-password-policy'
  static description =
    'Flag users whose password was set under an older password policy so they must change it at next sign-in'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Only count the users that would be flagged' })
  declare dryRun: boolean

  @flags.string({ description: 'Limit to one organization (slug)' })
  declare organization?: string

  async run() {
    const query = db
      .from('users')
      .whereNull('deleted_at')
      .where('password_policy_version', '<', PASSWORD_POLICY_VERSION)
      .where('password_reset_required', false)
    if (this.organization) {
      const org = await db.from('organizations').where('slug', this.organization).first()
      if (!org) {
        this.logger.error(`No organization with slug "${this.organization}"`)
        this.exitCode = 1
        return
      }
      query.where('organization_id', org.id)
    }

    if (this.dryRun) {
      const [{ count }] = await query.clone().count('* as count')
      this.logger.info(
        `${count} user(s) would be flagged (policy version ${PASSWORD_POLICY_VERSION}); nothing changed`,
      )
      return
    }
    const flagged = await query.update({ password_reset_required: true, updated_at: new Date() })
    const count = Array.isArray(flagged) ? flagged.length : flagged
    this.logger.success(`${count} user(s) flagged: they must choose a new password at next sign-in`)
  }
}
