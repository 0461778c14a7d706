import { test } from '@japa/runner'
import env from '#start/env'
import { unavailableDependency } from '#exceptions/unavailable_dependency'

/*
 * Which errors become 503 E_DATABASE_UNAVAILABLE (R16). The end-to-end behaviour with a
 * real cut connection is tests/reliability/postgres_outage.spec.ts; this pins the shapes,
 * including the ones that must stay 500s or 4xx (a constraint violation is not an outage).
 */
const error = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? 'x')), fields)

test.group('unavailableDependency', () => {
  test('knex, pg and SQLSTATE shapes of a lost database', ({ assert }) => {
    const cases = [
      error({ name: 'KnexTimeoutError', message: 'Knex: Timeout acquiring a connection.' }),
      error({ code: '57P01', message: 'terminating connection due to administrator command' }),
      error({ code: '57P03', message: 'the database system is starting up' }),
      error({ code: '08006', message: 'connection failure' }),
      error({ code: '53300', message: 'sorry, too many clients already' }),
      error({ message: 'Connection terminated unexpectedly' }),
      error({ message: 'insert into "call_logs" ("a") values ($1) - Connection terminated' }),
      error({ message: 'Transaction query already complete, run with DEBUG=knex:tx' }),
      error({ code: 'ECONNRESET', syscall: 'connect', port: env.get('DB_PORT') }),
      error({
        code: 'ECONNRESET',
        message: 'write ECONNRESET',
        stack:
          'Error: write ECONNRESET\n    at Connection.startup (/app/node_modules/pg/lib/connection.js:40:10)',
      }),
    ]
    for (const item of cases) assert.equal(unavailableDependency(item), 'database', item.message)
  })

  test('Redis giving up is a service outage, not the database', ({ assert }) => {
    assert.equal(unavailableDependency(error({ name: 'MaxRetriesPerRequestError' })), 'service')
    // ioredis's messages once its offline queue is off, for a reply lost with the
    // connection, and for a closed client.
    const messages = [
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Command aborted due to connection close',
      'Connection is closed.',
    ]
    for (const message of messages) {
      assert.equal(unavailableDependency(error({ message })), 'service', message)
    }
  })

  test('errors that are not an outage stay what they are', ({ assert }) => {
    const cases = [
      error({ code: '23505', message: 'duplicate key value violates unique constraint' }),
      error({ code: '42P01', message: 'relation "nope" does not exist' }),
      new TypeError('Cannot read properties of undefined'),
      error({ code: 'E_ROW_NOT_FOUND', message: 'Row not found' }),
    ]
    for (const item of cases) assert.isNull(unavailableDependency(item), item.message)
    assert.isNull(unavailableDependency(null))
    assert.isNull(unavailableDependency('ECONNRESET'))
  })
})
