/**
 * Time source for every SIP timer. Injected so that transaction tests can jump 32 seconds
 * in a microsecond, and so nothing in the stack calls the global timers directly.
 */
export interface TimerHandle {
  readonly id: number
}

export interface Clock {
  now(): number
  setTimer(delayMs: number, callback: () => void): TimerHandle
  clearTimer(handle: TimerHandle | null): void
}

export class SystemClock implements Clock {
  readonly #timers = new Map<number, NodeJS.Timeout>()
  #next = 1

  now(): number {
    return Date.now()
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const id = this.#next++
    const timer = setTimeout(() => {
      this.#timers.delete(id)
      callback()
    }, delayMs)
    // SIP timers must never keep a draining process alive on their own.
    timer.unref()
    this.#timers.set(id, timer)
    return { id }
  }

  clearTimer(handle: TimerHandle | null): void {
    if (!handle) return
    clearTimeout(this.#timers.get(handle.id))
    this.#timers.delete(handle.id)
  }
}

/** RFC 3261 §17.1.1.1 / Table 4 values; overridable for tests and tuned deployments. */
export interface TimerValues {
  T1: number
  T2: number
  T4: number
}

export const DEFAULT_TIMERS: TimerValues = { T1: 500, T2: 4000, T4: 5000 }
