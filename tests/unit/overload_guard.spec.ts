import { test } from '@japa/runner'
import {
  AdaptiveConcurrency,
  EventLoopDelaySampler,
  classify,
  shedReason,
  type OverloadLimits,
} from '#services/overload/overload_guard'

const limits: OverloadLimits = {
  maxInFlight: 10,
  maxEventLoopDelayMs: 100,
  priorityFactor: 4,
  retryAfterSeconds: 2,
}

test.group('Overload guard: decision', () => {
  test('classifies operator, call-path and ordinary routes', ({ assert }) => {
    assert.equal(classify('/health'), 'exempt')
    assert.equal(classify('/health/live'), 'exempt')
    assert.equal(classify('/metrics'), 'exempt')
    assert.equal(classify('/api/voice/route'), 'priority')
    assert.equal(classify('/api/edge/sip-realms/x'), 'priority')
    assert.equal(classify('/api/webhooks/cloudonix/cdr'), 'priority')
    assert.equal(classify('/api/v1/extensions'), 'normal')
    assert.equal(classify('/healthy'), 'normal')
    assert.equal(classify('/metrics-export'), 'normal')
    assert.equal(classify('/dashboard'), 'normal')
  })

  test('admits below the in-flight cap and sheds at it', ({ assert }) => {
    assert.isNull(shedReason('normal', 9, 0, limits))
    assert.equal(shedReason('normal', 10, 0, limits), 'in_flight')
    assert.equal(shedReason('normal', 500, 0, limits), 'in_flight')
  })

  test('sheds on event-loop delay above the threshold only', ({ assert }) => {
    assert.isNull(shedReason('normal', 0, 100, limits))
    assert.equal(shedReason('normal', 0, 100.5, limits), 'event_loop_delay')
  })

  test('gives the call path priorityFactor times the limits', ({ assert }) => {
    assert.isNull(shedReason('priority', 39, 0, limits))
    assert.equal(shedReason('priority', 40, 0, limits), 'in_flight')
    assert.isNull(shedReason('priority', 0, 400, limits))
    assert.equal(shedReason('priority', 0, 401, limits), 'event_loop_delay')
    // A factor below 1 would make the call path the first one shed: clamped to 1.
    assert.equal(shedReason('priority', 10, 0, { ...limits, priorityFactor: 0.5 }), 'in_flight')
  })

  test('never sheds health and metrics, whatever the load', ({ assert }) => {
    assert.isNull(shedReason('exempt', 10_000, 10_000, limits))
  })

  test('a limit of 0 turns its check off', ({ assert }) => {
    const off = { ...limits, maxInFlight: 0, maxEventLoopDelayMs: 0 }
    assert.isNull(shedReason('normal', 10_000, 10_000, off))
    assert.equal(shedReason('normal', 0, 101, { ...limits, maxInFlight: 0 }), 'event_loop_delay')
    assert.equal(shedReason('normal', 10, 0, { ...limits, maxEventLoopDelayMs: 0 }), 'in_flight')
  })
})

test.group('Overload guard: event-loop delay sampler', () => {
  test('reports a blocked event loop, then settles when it is free again', async ({ assert }) => {
    const sampler = new EventLoopDelaySampler()
    sampler.start()
    try {
      // Block the loop in slices inside one sampling window: the timer ticks late each time.
      const until = Date.now() + 1200
      while (Date.now() < until) {
        const slice = Date.now() + 150
        while (Date.now() < slice) {
          // busy: the point is to hold the event loop
        }
        await new Promise((resolve) => setImmediate(resolve))
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.isAbove(sampler.currentMs, 20)

      let settled = false
      const deadline = Date.now() + 15_000
      while (!settled && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 600))
        settled = sampler.currentMs < 20
      }
      assert.isTrue(settled, `delay still ${sampler.currentMs} ms with an idle loop`)
    } finally {
      sampler.stop()
    }
  }).timeout(30_000)
})

test.group('Overload guard: adaptive in-flight cap', () => {
  test('shrinks while admitted requests are slower than the target, not below the floor', ({
    assert,
  }) => {
    const cap = new AdaptiveConcurrency({ max: 64, min: 8, targetMs: 250 })
    assert.equal(cap.limit, 64)
    const seen: number[] = []
    for (let i = 0; i < 20; i++) {
      cap.admitted(cap.limit)
      cap.record(900)
      cap.record(400)
      seen.push(cap.tick())
    }
    // One slow window is noise; from the second in a row the cap is cut by a fifth each time.
    assert.deepEqual(seen.slice(0, 4), [64, 51, 40, 32])
    assert.equal(cap.limit, 8)
    assert.isTrue(seen.every((value, i) => i === 0 || value <= seen[i - 1]))
  })

  test('grows back by a tenth per fast window up to the maximum', ({ assert }) => {
    const cap = new AdaptiveConcurrency({ max: 64, min: 8, targetMs: 250 })
    for (let i = 0; i < 20; i++) {
      cap.admitted(cap.limit)
      cap.record(1000)
      cap.tick()
    }
    assert.equal(cap.limit, 8)
    cap.record(20)
    assert.equal(cap.tick(), 9)
    for (let i = 0; i < 100; i++) {
      cap.record(20)
      cap.tick()
    }
    assert.equal(cap.limit, 64)
  })

  test('holds between half the target and the target, and in windows without requests', ({
    assert,
  }) => {
    const cap = new AdaptiveConcurrency({ max: 64, min: 8, targetMs: 250 })
    for (let i = 0; i < 2; i++) {
      cap.admitted(40)
      cap.record(1000)
      cap.tick()
    }
    assert.equal(cap.limit, 51)
    cap.record(200)
    assert.equal(cap.tick(), 51)
    assert.equal(cap.tick(), 51)
  })

  test('slow windows at low concurrency leave the cap alone (not queueing)', ({ assert }) => {
    const cap = new AdaptiveConcurrency({ max: 64, min: 8, targetMs: 250 })
    for (let i = 0; i < 3; i++) {
      cap.admitted(31)
      cap.record(2000)
      assert.equal(cap.tick(), 64)
    }
    cap.admitted(32)
    cap.record(2000)
    assert.equal(cap.tick(), 64)
    cap.admitted(32)
    cap.record(2000)
    assert.equal(cap.tick(), 51)
  })

  test('a target of 0 keeps the cap fixed', ({ assert }) => {
    const cap = new AdaptiveConcurrency({ max: 64, min: 8, targetMs: 0 })
    cap.admitted(64)
    cap.record(10_000)
    assert.equal(cap.tick(), 64)
  })
})
