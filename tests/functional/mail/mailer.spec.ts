import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import { useSmtpSink } from '#tests/support/smtp_sink'

test.group('Mailer over SMTP', (group) => {
  const sink = useSmtpSink(group)

  test('the configured mailer delivers through SMTP with the default sender', async ({
    assert,
  }) => {
    sink.clear()
    await mail.send((message) => {
      message.to('someone@example.test').subject('Ping').text('Hello over SMTP')
    })
    const received = await sink.waitForRecipient('someone@example.test')
    assert.equal(received.subject, 'Ping')
    assert.equal(received.text.trim(), 'Hello over SMTP')
    assert.equal(received.from, 'no-reply@opbx.localhost')
  })

  test('waiting for a message that never comes fails with a timeout', async ({ assert }) => {
    sink.clear()
    await assert.rejects(
      () => sink.waitForRecipient('nobody@example.test', 300),
      /no matching mail/,
    )
  })
})
