import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'

/*
 * One SMTP mailer. Without SMTP_HOST the app talks to a relay on the same host (port 25 by
 * default, or SMTP_PORT), which is how most single-box installs hand mail to Postfix.
 * Tests point the mailer at their own listener (tests/support/smtp_sink.ts).
 */
const username = env.get('SMTP_USERNAME')
const mailConfig = defineConfig({
  default: 'smtp',
  from: {
    address: env.get('MAIL_FROM_ADDRESS', 'no-reply@opbx.localhost'),
    name: env.get('MAIL_FROM_NAME', 'OPBX'),
  },
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST', '127.0.0.1'),
      port: env.get('SMTP_PORT', 25),
      secure: env.get('SMTP_SECURE', false),
      // A local relay often has no certificate; STARTTLS is used when offered.
      ignoreTLS: !env.get('SMTP_SECURE', false) && !username,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      ...(username
        ? { auth: { type: 'login' as const, user: username, pass: env.get('SMTP_PASSWORD', '') } }
        : {}),
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
