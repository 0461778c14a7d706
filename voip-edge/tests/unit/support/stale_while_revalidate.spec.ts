import { test } from '@japa/runner'
import { StaleWhileRevalidate } from '../../../src/support/stale_while_revalidate.ts'

/** A lookup that counts its calls and answers what it is told to, or fails. */
function lookups() {
  let answer: string | null | Error = 'v1'
  let calls = 0
  const lookup = async () => {
    calls++
    if (answer instanceof Error) throw answer
    return { value: answer, ttlMs: 1000 }
  }
  return {
    lookup,
    answer: (next: string | null | Error) => (answer = next),
    calls: () => calls,
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

test.group('StaleWhileRevalidate', () => {
  test('a fresh answer is served without asking again', async ({ assert }) => {
    let now = 0
    const cache = new StaleWhileRevalidate<string | null>({ now: () => now })
    const app = lookups()
    assert.equal(await cache.get('k', app.lookup), 'v1')
    now = 999
    assert.equal(await cache.get('k', app.lookup), 'v1')
    assert.equal(app.calls(), 1)
  })

  test('an expired answer stands in while the app is asked in the background', async ({
    assert,
  }) => {
    let now = 0
    const cache = new StaleWhileRevalidate<string | null>({ now: () => now, retryMs: 5000 })
    const app = lookups()
    await cache.get('k', app.lookup)
    app.answer('v2')
    now = 1500
    // Stale at once; the background lookup replaces it.
    assert.equal(await cache.get('k', app.lookup), 'v1')
    await settle()
    assert.equal(app.calls(), 2)
    assert.equal(await cache.get('k', app.lookup), 'v2')
  })

  test('while the app fails, the stale answer stands in and is retried every retryMs at most', async ({
    assert,
  }) => {
    let now = 0
    const failures: string[] = []
    const cache = new StaleWhileRevalidate<string | null>({
      now: () => now,
      retryMs: 5000,
      maxStaleMs: 60_000,
      onBackgroundError: (key) => failures.push(key),
    })
    const app = lookups()
    await cache.get('k', app.lookup)
    app.answer(new Error('app down'))
    now = 2000
    for (let i = 0; i < 10; i++) assert.equal(await cache.get('k', app.lookup), 'v1')
    await settle()
    assert.equal(app.calls(), 2, 'one background lookup for ten requests')
    assert.deepEqual(failures, ['k'])
    now = 7001
    assert.equal(await cache.get('k', app.lookup), 'v1')
    await settle()
    assert.equal(app.calls(), 3, 'asked again once retryMs has passed')
  })

  test('past maxStaleMs the caller waits for the app and gets its failure', async ({ assert }) => {
    let now = 0
    const cache = new StaleWhileRevalidate<string | null>({ now: () => now, maxStaleMs: 60_000 })
    const app = lookups()
    await cache.get('k', app.lookup)
    app.answer(new Error('app down'))
    now = 60_001
    await assert.rejects(() => cache.get('k', app.lookup), 'app down')
  })

  test('servesStale keeps chosen answers from standing in', async ({ assert }) => {
    let now = 0
    const cache = new StaleWhileRevalidate<string | null>({
      now: () => now,
      servesStale: (value) => value !== null,
    })
    const app = lookups()
    app.answer(null)
    assert.isNull(await cache.get('k', app.lookup))
    app.answer(new Error('app down'))
    now = 1500
    await assert.rejects(() => cache.get('k', app.lookup), 'app down')
  })

  test('a held placeholder answers until it expires and never stands in', async ({ assert }) => {
    let now = 0
    const cache = new StaleWhileRevalidate<string | null>({ now: () => now })
    const app = lookups()
    cache.hold('k', null, 5000)
    assert.isNull(await cache.get('k', app.lookup))
    assert.equal(app.calls(), 0)
    app.answer(new Error('app down'))
    now = 5001
    await assert.rejects(() => cache.get('k', app.lookup), 'app down')
  })

  test('entries are bounded, the oldest key goes first, and clear() forgets all', async ({
    assert,
  }) => {
    const cache = new StaleWhileRevalidate<string | null>({ maxEntries: 3, now: () => 0 })
    const app = lookups()
    for (const key of ['a', 'b', 'c']) await cache.get(key, app.lookup)
    // Refreshing a key already present evicts nothing.
    cache.hold('a', 'x', 1000)
    assert.equal(cache.size, 3)
    await cache.get('d', app.lookup)
    assert.equal(cache.size, 3)
    const before = app.calls()
    await cache.get('a', app.lookup)
    assert.equal(app.calls(), before + 1, 'the oldest key was evicted')
    cache.clear()
    assert.equal(cache.size, 0)
  })
})
