import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

const dbConfig = defineConfig({
  connection: 'postgres',
  prettyPrintDebugQueries: false,
  connections: {
    postgres: {
      client: 'pg',
      connection: {
        host: env.get('DB_HOST'),
        port: env.get('DB_PORT'),
        user: env.get('DB_USER'),
        password: env.get('DB_PASSWORD'),
        database: env.get('DB_DATABASE'),
      },
      /*
       * Fail fast when PostgreSQL is unreachable (R16): knex waits 60 s for a pooled
       * connection by default and a silent network (no RST) keeps a connect attempt open
       * for 30 s, so requests would hang instead of getting their 503 + Retry-After. The
       * edge gives up on a session update after 5 s, so the app must answer well before: a
       * healthy pool hands out a connection in milliseconds, and a 3 s wait means the
       * database is gone or hopelessly overloaded (the overload guard sheds long before).
       */
      pool: {
        min: 0,
        max: env.get('DB_POOL_MAX', 10),
        acquireTimeoutMillis: 3000,
        createTimeoutMillis: 2000,
      },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      seeders: { paths: ['database/seeders'] },
      /*
       * Models declare their columns explicitly; a generated schema file would be one
       * more artefact to keep in sync with migrations across branches.
       */
      schemaGeneration: { enabled: false },
    },
  },
})

export default dbConfig
