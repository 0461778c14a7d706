import type { Clock, TimerHandle } from '../../src/transaction/clock.ts'

/** Deterministic clock: timers fire only when a test advances time. */
export class FakeClock implements Clock {
  #now = 0
  #next = 1
  readonly #timers = new Map<number, { at: number; callback: () => void }>()

  now(): number {
    return this.#now
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const id = this.#next++
    this.#timers.set(id, { at: this.#now + delayMs, callback })
    return { id }
  }

  clearTimer(handle: TimerHandle | null): void {
    if (handle) this.#timers.delete(handle.id)
  }

  get pending(): number {
    return this.#timers.size
  }

  /** Advances time, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.#now + ms
    for (;;) {
      let dueId: number | null = null
      let dueAt = Infinity
      for (const [id, timer] of this.#timers) {
        if (timer.at <= target && timer.at < dueAt) {
          dueAt = timer.at
          dueId = id
        }
      }
      if (dueId === null) break
      const timer = this.#timers.get(dueId)!
      this.#timers.delete(dueId)
      this.#now = timer.at
      timer.callback()
    }
    this.#now = target
  }
}
