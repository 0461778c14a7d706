/** Power of one frequency in 8 kHz audio (Goertzel), normalised per sample. */
export function tonePower(samples: Int16Array, frequency: number, sampleRate = 8000): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate)
  let previous = 0
  let before = 0
  for (const sample of samples) {
    const current = sample + coefficient * previous - before
    before = previous
    previous = current
  }
  const power = previous * previous + before * before - coefficient * previous * before
  return power / Math.max(1, samples.length) ** 2
}

/** A sine at `amplitude` (linear 16-bit peak). */
export function tone(frequency: number, samples: number, amplitude = 8000, phase = 0): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) =>
    Math.round(Math.sin((2 * Math.PI * frequency * (i + phase)) / 8000) * amplitude),
  )
}

/**
 * Mean tone power over 0.5 s blocks: audio that crossed a jitter buffer has phase jumps,
 * which a single long Goertzel window would average away.
 */
export function blockPowers(samples: Int16Array, frequency: number, block = 4000): number[] {
  const powers: number[] = []
  for (let start = 0; start + block <= samples.length; start += block)
    powers.push(tonePower(samples.subarray(start, start + block), frequency))
  return powers
}

export function meanBlockPower(samples: Int16Array, frequency: number): number {
  const powers = blockPowers(samples, frequency)
  return powers.reduce((sum, power) => sum + power, 0) / Math.max(1, powers.length)
}
