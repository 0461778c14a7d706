import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import mail from '@adonisjs/mail/services/main'
import { SMTPTransport } from '@adonisjs/mail/transports/smtp'

export type ReceivedMail = {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[]
  from: string
  subject: string
  text: string
  html: string
  attachments: ParsedMail['attachments']
  parsed: ParsedMail
}

/**
 * A real SMTP listener on 127.0.0.1 that keeps every message it receives, parsed. Tests
 * start one on a free port, point the app's mailer at it, and wait for what they expect.
 * No authentication and no TLS: it only ever listens on the loopback address.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = []
  #server: SMTPServer
  #waiters: Array<() => void> = []
  #port = 0

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              attachments: parsed.attachments,
              parsed,
            })
            for (const wake of this.#waiters.splice(0)) wake()
            callback()
          })
          .catch((error: Error) => callback(error))
      },
    })
  }

  get port() {
    return this.#port
  }

  async start() {
    this.#server.listen(0, '127.0.0.1')
    await once(this.#server.server, 'listening')
    this.#port = (this.#server.server.address() as AddressInfo).port
    return this
  }

  async stop() {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /**
   * Replaces the app's default mailer transport with one that delivers here; the returned
   * function puts the configured one back. The cached mailer is closed both ways so the
   * next send builds its transport again.
   */
  async captureAppMail() {
    const name = mail.config.default ?? 'smtp'
    const original = mail.config.mailers[name]
    const port = this.#port
    mail.config.mailers[name] = () =>
      new SMTPTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
    await mail.close(name)
    return async () => {
      mail.config.mailers[name] = original
      await mail.close(name)
    }
  }

  /** The first message (already received or still to come) that matches, or a timeout error. */
  async waitFor(match: (message: ReceivedMail) => boolean, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    while (true) {
      const found = this.messages.find(match)
      if (found) return found
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Waits for the first message to this address. */
  waitForRecipient(address: string, timeoutMs?: number) {
    const wanted = address.toLowerCase()
    return this.waitFor((m) => m.to.includes(wanted), timeoutMs)
  }

  clear() {
    this.messages.length = 0
  }
}

/**
 * One sink per Japa group, capturing the app's mail for the whole group. Use
 * `sink.clear()` or recipient-specific waits to keep tests apart.
 */
export function useSmtpSink(group: { setup: (fn: () => Promise<() => Promise<void>>) => void }) {
  const sink = new SmtpSink()
  group.setup(async () => {
    await sink.start()
    const restore = await sink.captureAppMail()
    return async () => {
      await restore()
      await sink.stop()
    }
  })
  return sink
}
