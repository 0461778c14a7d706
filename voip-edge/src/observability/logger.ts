/**
 * pino JSON logging with redaction applied by default: credentials must never reach a log
 * line, whether they sit in a structured field or inside a logged SIP message.
 */
import { pino, type Logger } from 'pino'
import type { LogLevel } from '../config.ts'

export type { Logger }

export const REDACT_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["proxy-authorization"]',
  'response',
  '*.response',
]

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'voip-edge' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  }
  return destination ? pino(options, destination) : pino(options)
}

const DIGEST_SECRET_PARAMS = /\b(response|cnonce|password)\s*=\s*("[^"]*"|[^,\s]+)/gi

/** Redacts digest responses (and any password parameter) inside a raw SIP message. */
export function redactSipMessage(text: string): string {
  return text.replace(/^((?:proxy-)?authorization\s*:.*)$/gim, (line) =>
    line.replace(DIGEST_SECRET_PARAMS, '$1="[redacted]"'),
  )
}
