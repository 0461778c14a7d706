import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'

test.group('Rate limiter on an auto-pipelined connection', () => {
  test('its Lua command is defined on the shared connection at boot', async ({ assert }) => {
    const connection = redis.connection('main').ioConnection as unknown as {
      scriptsSet: Record<string, unknown>
      options: { enableAutoPipelining?: boolean }
    }
    assert.isTrue(connection.options.enableAutoPipelining)
    // A batch opened now copies the commands defined so far: the limiter's must be among them.
    assert.property(connection.scriptsSet, 'rlflxIncr')
    const batch = redis.connection('main').ioConnection.pipeline() as unknown as Record<
      string,
      unknown
    >
    assert.isFunction(batch.rlflxIncr)
  })
})
