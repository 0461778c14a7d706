import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import EnforcePasswordPolicy from '#commands/enforce_password_policy'
import { createTenant, isolate } from '#tests/helpers'
import { UserFactory } from '#database/factories/user_factory'

test.group('users:enforce-password-policy', (group) => {
  isolate(group)
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('flags users below the current policy version and prints the count', async ({ assert }) => {
    const { organization, user } = await createTenant()
    const stale = await UserFactory.merge({
      organizationId: organization.id,
      passwordPolicyVersion: 0,
    }).createMany(3)

    const dry = await ace.create(EnforcePasswordPolicy, ['--dry-run'])
    await dry.exec()
    dry.assertSucceeded()
    dry.assertLog('[ blue(info) ] 3 user(s) would be flagged (policy version 1); nothing changed')
    for (const u of stale) {
      await u.refresh()
      assert.isFalse(u.passwordResetRequired)
    }

    const command = await ace.create(EnforcePasswordPolicy, [])
    await command.exec()
    command.assertSucceeded()
    command.assertLog(
      '[ green(success) ] 3 user(s) flagged: they must choose a new password at next sign-in',
    )
    for (const u of stale) {
      await u.refresh()
      assert.isTrue(u.passwordResetRequired)
    }
    await user.refresh()
    assert.isFalse(user.passwordResetRequired)
  })

  test('fails with a clear message for an unknown organization', async () => {
    const command = await ace.create(EnforcePasswordPolicy, ['--organization', 'no-such-org'])
    await command.exec()
    command.assertFailed()
    command.assertLog('[ red(error) ] No organization with slug "no-such-org"')
  })
})
