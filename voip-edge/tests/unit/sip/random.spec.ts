import { test } from '@japa/runner'
import { fillRandom, randomHex } from '../../../src/sip/random.ts'

test.group('pooled random bytes', () => {
  test('hex of the asked size, never repeated across several pool refills', ({ assert }) => {
    const seen = new Set<string>()
    // 6-byte tags: 5,000 of them drain the 4 KiB pool seven times.
    for (let i = 0; i < 5000; i++) {
      const tag = randomHex(6)
      assert.match(tag, /^[0-9a-f]{12}$/)
      seen.add(tag)
    }
    assert.equal(seen.size, 5000)
  })

  test('fills exactly the asked range, also beyond the pool size', ({ assert }) => {
    const target = Buffer.alloc(20)
    fillRandom(target, 5, 9)
    assert.deepEqual([...target.subarray(0, 5)], [0, 0, 0, 0, 0])
    assert.deepEqual([...target.subarray(14)], [0, 0, 0, 0, 0, 0])
    assert.notDeepEqual([...target.subarray(5, 14)], Array(9).fill(0))
    const big = Buffer.alloc(10_000)
    fillRandom(big, 0, big.length)
    assert.isAbove(new Set(big).size, 200, 'a large request is random, not zeroed pool')
  })
})
