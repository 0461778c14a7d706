import { test } from '@japa/runner'
import { pino } from 'pino'
import { MediaHealth } from '../../../src/media/media_health.ts'
import { MediaTimeoutError } from '../../../src/media/errors.ts'

test.group('MediaHealth', () => {
  test('a late timeout of an older ping does not undo a newer pong; recovery is reported once', async ({
    assert,
  }) => {
    const pending: Array<{ resolve(): void; reject(error: Error): void }> = []
    const probes: Array<[boolean, boolean]> = []
    const health = new MediaHealth({
      media: {
        ping: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
      },
      logger: pino({ level: 'silent' }),
      onProbe: (healthy, recovered) => probes.push([healthy, recovered]),
    })
    const down = health.check()
    pending[0].reject(new MediaTimeoutError('ping', 500))
    assert.isFalse(await down)
    assert.isFalse(health.healthy)

    const older = health.check()
    const newer = health.check()
    pending[2].resolve()
    assert.isTrue(await newer)
    pending[1].reject(new MediaTimeoutError('ping', 500))
    assert.isFalse(await older)
    assert.isTrue(health.healthy, 'the older probe’s timeout is stale')
    assert.deepEqual(probes, [
      [false, false],
      [true, true],
    ])
    const again = health.check()
    pending[3].resolve()
    await again
    assert.deepEqual(probes.at(-1), [true, false])
  })
})
