import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/**
 * Every path listed here is replaced by "[redacted]" before a line is written, so a
 * logged request, SIP message or job payload never leaks a credential.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'passwordConfirmation',
  '*.passwordConfirmation',
  'currentPassword',
  '*.currentPassword',
  'token',
  '*.token',
  '*.*.token',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
  '*.sipPassword',
  'sipPassword',
  '*.digestResponse',
]

const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: env.get('APP_NAME', 'opbx'),
      level: env.get('LOG_LEVEL'),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      transport: {
        targets: targets()
          .pushIf(!app.inProduction && env.get('LOG_PRETTY', false), targets.pretty())
          .pushIf(
            app.inProduction || !env.get('LOG_PRETTY', false),
            targets.file({ destination: 1 }),
          )
          .toArray(),
      },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
