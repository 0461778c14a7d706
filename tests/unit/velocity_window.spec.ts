import { test } from '@japa/runner'
import {
  DAY_BY_15_MINUTES,
  HOUR_BY_MINUTE,
  bucketOf,
  exceeds,
  oldestLiveBucket,
  windowTotal,
} from '#services/fraud/velocity_window'
import { isInternationalOrPremium } from '#services/fraud/toll_fraud_guard'

const tiny = { windowMs: 60, bucketMs: 10 }

test.group('Toll-fraud sliding window maths', () => {
  test('events fall in the bucket of their instant', ({ assert }) => {
    assert.equal(bucketOf(0, tiny), 0)
    assert.equal(bucketOf(9, tiny), 0)
    assert.equal(bucketOf(10, tiny), 1)
    assert.equal(bucketOf(3_599_999, HOUR_BY_MINUTE), 59)
    assert.equal(bucketOf(86_400_000, DAY_BY_15_MINUTES), 96)
  })

  test('buckets wholly inside the window count in full, later and older ones not at all', ({
    assert,
  }) => {
    // now 125: window (65, 125]; buckets 7..12 are inside, 13 is in the future, 5 is gone.
    const buckets = new Map([
      [5, 100],
      [7, 1],
      [9, 2],
      [12, 3],
      [13, 50],
    ])
    assert.equal(windowTotal(buckets, 125, tiny), 6)
  })

  test('the bucket straddling the window start counts for its share inside the window', ({
    assert,
  }) => {
    // Bucket 6 is [60, 70); the window starts at 65, so half of it is inside.
    assert.equal(windowTotal(new Map([[6, 10]]), 125, tiny), 5)
    // At 128 only 2 ms of it are inside: 20 %.
    assert.closeTo(windowTotal(new Map([[6, 10]]), 128, tiny), 2, 1e-9)
    // On a bucket boundary the oldest bucket is wholly inside.
    assert.equal(windowTotal(new Map([[6, 10]]), 120, tiny), 10)
    assert.equal(windowTotal(new Map([[6, 10]]), 130, tiny), 0)
  })

  test('an hour of per-minute buckets: 59 minutes later a call still counts, 61 minutes later not', ({
    assert,
  }) => {
    const start = 1_700_000_000_000
    const buckets = new Map([[bucketOf(start, HOUR_BY_MINUTE), 1]])
    const aligned = start - (start % 60_000)
    assert.equal(windowTotal(buckets, aligned + 59 * 60_000, HOUR_BY_MINUTE), 1)
    assert.equal(windowTotal(buckets, aligned + 61 * 60_000, HOUR_BY_MINUTE), 0)
    assert.isAbove(
      oldestLiveBucket(aligned + 61 * 60_000, HOUR_BY_MINUTE),
      bucketOf(start, HOUR_BY_MINUTE),
    )
  })

  test('reaching the limit is allowed, passing it is not', ({ assert }) => {
    assert.isFalse(exceeds(30, 30))
    assert.isTrue(exceeds(31, 30))
    assert.isFalse(exceeds(29.5, 30))
    assert.isTrue(exceeds(30.5, 30))
  })
})

test.group('Toll-fraud: which numbers count as international or premium', () => {
  test('domestic prefix, premium ranges and national numbers', ({ assert }) => {
    assert.isTrue(isInternationalOrPremium('+33142685300', '+1'))
    assert.isTrue(isInternationalOrPremium('0033142685300', '+1'))
    assert.isFalse(isInternationalOrPremium('+12125550100', '+1'))
    assert.isTrue(
      isInternationalOrPremium('+19005550100', '+1'),
      'premium inside the domestic prefix',
    )
    assert.isTrue(isInternationalOrPremium('+12125550100', null), 'no domestic prefix: all E.164')
    assert.isFalse(isInternationalOrPremium('02079460000', null), 'national format')
    assert.isFalse(isInternationalOrPremium('not a number', null))
  })
})
