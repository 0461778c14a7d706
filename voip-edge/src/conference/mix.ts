/**
 * The mixing maths of a room: 20 ms frames of 8 kHz linear audio, summed once per tick in
 * 32 bits and handed out as "everyone but you" (N−1), clamped to 16 bits so a loud room
 * saturates instead of wrapping around into noise.
 */

export const FRAME_SAMPLES = 160
export const FRAME_MS = 20

const clamp = (value: number) => (value > 32_767 ? 32_767 : value < -32_768 ? -32_768 : value)

export interface MixInput {
  /** This tick's frame from the participant; null when nothing arrived in time (silence). */
  frame: Int16Array | null
  /** Muted participants (and those still waiting for the host) are heard by no one. */
  heard: boolean
  /** Audio only this participant hears this tick (join/leave beeps), or null. */
  private: Int16Array | null
  /** Participants waiting for the host hear nothing of the room. */
  hears: boolean
}

/**
 * One tick: returns each participant's output frame and the room mix (everyone heard, what
 * a recording keeps). Output i = Σ heard frames − own frame (if heard) + own private audio.
 */
export function mixTick(inputs: MixInput[]): { outputs: Int16Array[]; room: Int16Array } {
  const total = new Int32Array(FRAME_SAMPLES)
  for (const input of inputs) {
    if (!input.heard || input.frame === null) continue
    const frame = input.frame
    for (let i = 0; i < FRAME_SAMPLES; i++) total[i] += frame[i]
  }
  const outputs = inputs.map((input) => {
    const out = new Int16Array(FRAME_SAMPLES)
    const own = input.heard ? input.frame : null
    const extra = input.private
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      let value = input.hears ? total[i] : 0
      if (input.hears && own !== null) value -= own[i]
      if (extra !== null) value += extra[i]
      out[i] = clamp(value)
    }
    return out
  })
  const room = new Int16Array(FRAME_SAMPLES)
  for (let i = 0; i < FRAME_SAMPLES; i++) room[i] = clamp(total[i])
  return { outputs, room }
}

/**
 * A participant's incoming audio: decoded samples in arrival order, taken 160 at a time.
 * A late packet leaves one tick of silence (jitter tolerance) and is played on the next;
 * the buffer never holds more than `maxFrames`, so a sender whose clock runs fast (or a
 * burst after a stall) costs dropped audio, not growing delay.
 */
export class JitterFifo {
  readonly #buffer: Int16Array
  #start = 0
  #length = 0
  dropped = 0

  constructor(maxFrames = 6) {
    this.#buffer = new Int16Array(maxFrames * FRAME_SAMPLES)
  }

  get buffered(): number {
    return this.#length
  }

  push(samples: Int16Array): void {
    const capacity = this.#buffer.length
    for (const sample of samples) {
      if (this.#length === capacity) {
        // Oldest audio goes first: the freshest is what the room should hear.
        this.#start = (this.#start + 1) % capacity
        this.#length--
        this.dropped++
      }
      this.#buffer[(this.#start + this.#length) % capacity] = sample
      this.#length++
    }
  }

  /** One frame, or null when less than a frame is buffered (the tick hears silence). */
  take(): Int16Array | null {
    if (this.#length < FRAME_SAMPLES) return null
    const capacity = this.#buffer.length
    const frame = new Int16Array(FRAME_SAMPLES)
    for (let i = 0; i < FRAME_SAMPLES; i++) frame[i] = this.#buffer[(this.#start + i) % capacity]
    this.#start = (this.#start + FRAME_SAMPLES) % capacity
    this.#length -= FRAME_SAMPLES
    return frame
  }
}

/**
 * Ticks every 20 ms against a fixed origin (tick n is due at origin + 20·n), so timer lateness
 * never accumulates. A late wake-up runs the missed ticks back to back, up to `maxCatchUp`;
 * beyond that (a stalled process) the missed ticks are skipped and reported, so the RTP
 * timestamps can jump over them.
 */
export class FrameClock {
  readonly #now: () => number
  readonly #onTick: (skippedFrames: number) => void
  readonly #maxCatchUp: number
  #origin = 0
  #ticks = 0
  #timer: NodeJS.Timeout | null = null
  skipped = 0

  constructor(
    onTick: (skippedFrames: number) => void,
    now = () => performance.now(),
    maxCatchUp = 5,
  ) {
    this.#onTick = onTick
    this.#now = now
    this.#maxCatchUp = maxCatchUp
  }

  get running(): boolean {
    return this.#timer !== null
  }

  start(): void {
    if (this.#timer) return
    this.#origin = this.#now()
    this.#ticks = 0
    this.#schedule()
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  /** Runs the ticks due at the current time (also called by the timer). */
  runDue(): void {
    const due = Math.floor((this.#now() - this.#origin) / FRAME_MS) + 1
    let missing = due - this.#ticks
    let skipped = 0
    if (missing > this.#maxCatchUp) {
      skipped = missing - this.#maxCatchUp
      this.skipped += skipped
      this.#ticks += skipped
      missing = this.#maxCatchUp
    }
    for (let i = 0; i < missing; i++) {
      this.#ticks++
      this.#onTick(i === 0 ? skipped : 0)
    }
  }

  #schedule(): void {
    const next = this.#origin + this.#ticks * FRAME_MS
    this.#timer = setTimeout(
      () => {
        this.runDue()
        if (this.#timer) this.#schedule()
      },
      Math.max(0, next - this.#now()),
    )
  }
}
