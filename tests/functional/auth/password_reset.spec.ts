import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import AuditLog from '#models/audit_log'
import { DateTime } from 'luxon'
import { createTenant, FACTORY_PASSWORD, isolate, tokenFor } from '#tests/helpers'
import { useSmtpSink, type ReceivedMail } from '#tests/support/smtp_sink'
import { RESET_EMAILS_PER_WINDOW } from '#services/auth/password_reset'

const NEW_PASSWORD = 'Brand-new-pass-42'

function resetPath(message: ReceivedMail) {
  const url = message.text.match(/https?:\/\/\S+/)?.[0]
  if (!url) throw new Error(`no link in: ${message.text}`)
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

test.group('Forgot / reset password', (group) => {
  isolate(group)
  const sink = useSmtpSink(group)
  group.each.setup(() => sink.clear())

  test('an unknown address gets the same answer and no email', async ({ client, assert }) => {
    const { user } = await createTenant()
    const answers = []
    for (const email of [user.email, 'nobody@example.test']) {
      const response = await client
        .post('/password/forgot')
        .withCsrfToken()
        .form({ email })
        .redirects(0)
      response.assertStatus(302)
      answers.push([response.header('location'), response.flashMessages().success])
    }
    assert.deepEqual(answers[0], answers[1])
    await sink.waitForRecipient(user.email)
    // Only the known address was written to; the unknown one produced no message.
    assert.deepEqual(
      sink.messages.map((m) => m.to),
      [[user.email]],
    )
  })

  test('the emailed link resets the password once, then signs in', async ({ client, assert }) => {
    const { user } = await createTenant()
    const apiToken = await tokenFor(user)
    await client.post('/password/forgot').withCsrfToken().form({ email: user.email })
    const message = await sink.waitForRecipient(user.email)
    assert.equal(message.subject, 'Reset your OPBX password')
    const path = resetPath(message)
    assert.match(path, /^\/password\/reset\/[\w-]{40,}\?signature=/)

    const [{ token_hash: stored }] = await db
      .from('password_reset_tokens')
      .where('user_id', user.id)
    assert.notInclude(path, stored)

    const form = await client.get(path).withInertia()
    form.assertInertiaComponent('auth/reset_password')
    form.assertInertiaPropsContains({ email: user.email })

    const reset = await client
      .post(path)
      .withCsrfToken()
      .form({ password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD })
      .redirects(0)
    reset.assertStatus(302)
    assert.equal(reset.header('location'), '/login')

    await user.refresh()
    assert.isTrue(await hash.verify(user.password, NEW_PASSWORD))
    const apiCall = await client.get('/api/v1/organization').bearerToken(apiToken)
    apiCall.assertStatus(401)

    const again = await client
      .post(path)
      .withCsrfToken()
      .form({ password: 'Another-pass-77', passwordConfirmation: 'Another-pass-77' })
      .redirects(0)
    assert.equal(again.header('location'), '/password/forgot')
    await user.refresh()
    assert.isTrue(await hash.verify(user.password, NEW_PASSWORD))

    const login = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: user.email, password: NEW_PASSWORD })
      .redirects(0)
    assert.equal(login.header('location'), '/')

    const actions = (
      await AuditLog.query()
        .where('organization_id', user.organizationId)
        .where('subject_id', String(user.id))
        .whereLike('action', 'user.password_reset%')
        .orderBy('id')
    ).map((a) => a.action)
    assert.deepEqual(actions, ['user.password_reset_requested', 'user.password_reset'])
  })

  test('the new password must follow the policy, with the reason next to the field', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    await client.post('/password/forgot').withCsrfToken().form({ email: user.email })
    const path = resetPath(await sink.waitForRecipient(user.email))
    const response = await client
      .post(path)
      .withCsrfToken()
      .form({ password: 'short1', passwordConfirmation: 'short1' })
      .redirects(0)
    response.assertStatus(302)
    assert.match(
      (response.flashMessages().inputErrorsBag as Record<string, string[]>).password[0],
      /at least 8 characters/,
    )
    await user.refresh()
    assert.isTrue(await hash.verify(user.password, FACTORY_PASSWORD))
  })

  test('a tampered, expired or superseded link is refused', async ({ client, assert }) => {
    const { user } = await createTenant()
    await client.post('/password/forgot').withCsrfToken().form({ email: user.email })
    const path = resetPath(await sink.waitForRecipient(user.email))

    const tampered = path.replace(/signature=[^&]+/, 'signature=forged')
    const bad = await client.get(tampered).redirects(0)
    assert.equal(bad.header('location'), '/password/forgot')

    const unsigned = await client.get(path.split('?')[0]).redirects(0)
    assert.equal(unsigned.header('location'), '/password/forgot')

    await db
      .from('password_reset_tokens')
      .where('user_id', user.id)
      .update({ expires_at: new Date(Date.now() - 1000) })
    const expired = await client.get(path).redirects(0)
    assert.equal(expired.header('location'), '/password/forgot')
    assert.match(String(expired.flashMessages().error), /invalid, expired or already used/)
  })

  test('changing the password another way spends outstanding links', async ({ client, assert }) => {
    const { user } = await createTenant()
    await client.post('/password/forgot').withCsrfToken().form({ email: user.email })
    const path = resetPath(await sink.waitForRecipient(user.email))
    await db
      .from('password_reset_tokens')
      .where('user_id', user.id)
      .update({ created_at: new Date(Date.now() - 60_000) })
    user.password = 'Changed-elsewhere-9'
    user.passwordChangedAt = DateTime.now()
    await user.save()
    const response = await client.get(path).redirects(0)
    assert.equal(response.header('location'), '/password/forgot')
  })

  test('an address gets a bounded number of emails; the answer does not change', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    for (let i = 0; i < RESET_EMAILS_PER_WINDOW + 2; i++) {
      const response = await client
        .post('/password/forgot')
        .withCsrfToken()
        .form({ email: user.email })
        .redirects(0)
      assert.match(String(response.flashMessages().success), /If an account uses that address/)
    }
    const [{ n }] = await db.from('password_reset_tokens').where('user_id', user.id).count('* as n')
    assert.equal(Number(n), RESET_EMAILS_PER_WINDOW)
  })

  test('inactive accounts get no email', async ({ client, assert }) => {
    const { user } = await createTenant()
    user.status = 'inactive'
    await user.save()
    await client.post('/password/forgot').withCsrfToken().form({ email: user.email })
    const [{ n }] = await db.from('password_reset_tokens').where('user_id', user.id).count('* as n')
    assert.equal(Number(n), 0)
  })
})
