/**
 * A loopback SMTP listener for the toll-fraud suite: the app's worker is pointed at it
 * through SMTP_HOST/SMTP_PORT (config/mail.ts), so the alert email travels the same path
 * as in production up to the relay. Same packages as tests/support/smtp_sink.ts, without
 * its in-process mailer swap (the app here is another process).
 */
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser } from 'mailparser'

export type SinkMail = { to: string[]; subject: string; text: string; at: number }

export async function startSmtpSink() {
  const messages: SinkMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            at: Date.now(),
          })
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
