import { test } from '@japa/runner'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TtsCache } from '../../src/media/tts.ts'
import { wavDurationMs } from '../../src/media/audio.ts'

test.group('Say: espeak-ng WAV cache', (group) => {
  let folder = ''
  group.each.setup(() => {
    folder = mkdtempSync(join(tmpdir(), 'voip-edge-tts-'))
    return () => rmSync(folder, { recursive: true, force: true })
  })

  test('one synthesis per text + voice + language, shared by concurrent calls', async ({
    assert,
  }) => {
    const tts = new TtsCache({ dir: folder })
    const [a, b] = await Promise.all([
      tts.file('Press one for sales.', 'woman', 'en-US'),
      tts.file('Press one for sales.', 'woman', 'en-US'),
    ])
    assert.equal(a, b)
    assert.equal(tts.synthesized, 1)
    const duration = wavDurationMs(readFileSync(a))!
    assert.isAbove(duration, 500, `${duration} ms of speech`)
    const man = await tts.file('Press one for sales.', 'man', 'en-US')
    assert.notEqual(man, a, 'another voice is another file')
    await tts.file('Press one for sales.', 'woman', 'en-US')
    assert.equal(tts.synthesized, 2, 'the cached prompt is not synthesized again')
    // A fresh cache over the same folder finds the file on disk.
    const again = new TtsCache({ dir: folder })
    assert.equal(await again.file('Press one for sales.', 'woman', 'en-US'), a)
    assert.equal(again.synthesized, 0)
  })

  test('unknown regional and unknown languages fall back instead of failing', async ({
    assert,
  }) => {
    const tts = new TtsCache({ dir: folder })
    const german = await tts.file('Hallo und willkommen.', 'woman', 'de-AT')
    assert.isAbove(wavDurationMs(readFileSync(german))!, 300)
    const unknown = await tts.file('Hello.', 'woman', 'xx-YY')
    assert.isAbove(wavDurationMs(readFileSync(unknown))!, 200)
    const nonsense = await tts.file('Hello.', 'woman', '<script>')
    assert.isAbove(wavDurationMs(readFileSync(nonsense))!, 200)
  })
})
