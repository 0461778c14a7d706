import { test } from '@japa/runner'
import { parseMessage, SipParseError } from '../../../src/sip/parser.ts'
import { serialize } from '../../../src/sip/serializer.ts'
import { VALID, INVALID } from '../../fixtures/torture.ts'

/** Small deterministic PRNG so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const INTERESTING = [
  ':',
  ';',
  ',',
  '<',
  '>',
  '"',
  '\\',
  '\r\n',
  '\r\n ',
  '\0',
  '%',
  '%G',
  '@',
  '=',
  ' ',
  '\t',
  '\r\n\r\n',
  '99999999999',
  '-1',
  'Via: ',
  'Content-Length: 9',
  'l: 1',
]

function mutate(input: Buffer, random: () => number): Buffer {
  const bytes = [...input]
  const edits = 1 + Math.floor(random() * 6)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (bytes.length + 1))
    const kind = random()
    if (kind < 0.3) bytes.splice(at, 1 + Math.floor(random() * 8))
    else if (kind < 0.6)
      bytes.splice(
        at,
        0,
        ...Buffer.from(INTERESTING[Math.floor(random() * INTERESTING.length)], 'latin1'),
      )
    else if (kind < 0.8) bytes[at] = Math.floor(random() * 256)
    else
      bytes.splice(
        at,
        0,
        ...bytes.slice(Math.floor(random() * bytes.length), Math.floor(random() * bytes.length)),
      )
  }
  return Buffer.from(bytes.slice(0, 20_000))
}

test.group('sip parser fuzzing', () => {
  test('20,000 mutated torture messages either parse into re-parsable messages or fail with SipParseError', ({
    assert,
  }) => {
    const seeds = [
      ...Object.values(VALID),
      ...Object.values(INVALID).map((entry) => entry.message),
    ].map((text) => Buffer.from(text, 'utf8'))
    const random = prng(4475)
    let parsed = 0
    let rejected = 0
    for (let i = 0; i < 20_000; i++) {
      const input = mutate(seeds[i % seeds.length], random)
      let message
      try {
        message = parseMessage(input)
      } catch (error) {
        if (!(error instanceof SipParseError)) {
          throw new Error(
            `iteration ${i} threw ${(error as Error).name}: ${(error as Error).message}\n${JSON.stringify(input.toString('latin1'))}`,
          )
        }
        rejected++
        continue
      }
      // Whatever we accept, we must be able to write out and read back (no try: must not throw).
      const again = parseMessage(serialize(message))
      const names = (m: typeof message) =>
        m.headers.filter((h) => h.name !== 'content-length').map((h) => `${h.name}: ${h.value}`)
      assert.deepEqual(names(again), names(message), `iteration ${i} round trip`)
      assert.deepEqual(again.body, message.body)
      parsed++
    }
    assert.isAbove(parsed, 100)
    assert.isAbove(rejected, 100)
  }).timeout(30_000)
})
