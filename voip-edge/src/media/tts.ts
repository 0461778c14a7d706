/**
 * `<Say>` text to speech with espeak-ng (Debian), cached as WAV per text + voice + language:
 * an IVR greets every caller with the same few sentences, so synthesis runs once per prompt.
 * Concurrent requests for one prompt share one espeak-ng run; files are written under a
 * temporary name and renamed, so rtpengine never reads a half-written WAV.
 */
import { createHash, randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { mkdir, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** BCP-47 → espeak-ng voice; anything unknown falls back to its primary language. */
function espeakVoice(language: string, voice: string): string {
  const tag = language.trim().toLowerCase() || 'en-us'
  const base = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/.test(tag) ? tag : 'en-us'
  // man / woman map onto espeak-ng's male and female variants.
  const variant = voice.toLowerCase() === 'man' ? '+m3' : '+f3'
  return `${base}${variant}`
}

export class TtsCache {
  readonly #dir: string
  readonly #binary: string
  readonly #pending = new Map<string, Promise<string>>()
  synthesized = 0

  constructor(options: { dir: string; binary?: string }) {
    this.#dir = join(options.dir, 'tts')
    this.#binary = options.binary ?? 'espeak-ng'
  }

  /** Path of a WAV with `text` spoken; synthesized on first use. */
  file(text: string, voice: string, language: string): Promise<string> {
    const espeak = espeakVoice(language, voice)
    const key = createHash('sha256').update(`${espeak}\n${text}`).digest('hex').slice(0, 40)
    const path = join(this.#dir, `${key}.wav`)
    let pending = this.#pending.get(path)
    if (!pending) {
      pending = this.#ensure(path, text, espeak).finally(() => this.#pending.delete(path))
      this.#pending.set(path, pending)
    }
    return pending
  }

  async #ensure(path: string, text: string, voice: string): Promise<string> {
    try {
      const info = await stat(path)
      if (info.size > 44) return path
    } catch {
      // not cached yet
    }
    await mkdir(this.#dir, { recursive: true })
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`
    const synth = (v: string) =>
      run(this.#binary, ['-v', v, '-w', temporary, '--', text], { timeout: 15_000 })
    // An unknown regional voice falls back to its language ("de-at" → "de"), then to
    // English, which still says the words.
    const [language, variant] = voice.split('+')
    const candidates = [
      ...new Set([voice, `${language.split('-')[0]}+${variant}`, `en-us+${variant}`]),
    ]
    for (let index = 0; ; index++) {
      try {
        await synth(candidates[index])
        break
      } catch (error) {
        if (index === candidates.length - 1) throw error
      }
    }
    try {
      await rename(temporary, path)
    } catch (error) {
      await unlink(temporary).catch(() => undefined)
      throw error
    }
    this.synthesized++
    return path
  }
}
