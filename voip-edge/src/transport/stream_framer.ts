/**
 * Splits a SIP byte stream into messages by Content-Length (RFC 3261 §18.3). Memory per
 * connection is bounded by `maxMessageBytes`: a peer that never ends its headers, or
 * announces a huge body, gets a framing error instead of growing our buffer.
 */

export type FrameResult =
  { kind: 'message'; data: Buffer } | { kind: 'error'; reason: string; head: Buffer }

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*)$/gim

export class StreamFramer {
  readonly #maxMessageBytes: number
  #buffer: Buffer = Buffer.alloc(0)

  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes
  }

  /** Appends input and returns every complete message (or the first framing error). */
  push(chunk: Buffer): FrameResult[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    const results: FrameResult[] = []
    for (;;) {
      let start = 0
      // CRLF keep-alives (RFC 5626 §3.5.1) between messages are skipped.
      while (
        start < this.#buffer.length &&
        (this.#buffer[start] === 0x0d || this.#buffer[start] === 0x0a)
      )
        start++
      if (start > 0) this.#buffer = this.#buffer.subarray(start)
      if (this.#buffer.length === 0) return results
      const headEnd = this.#buffer.indexOf('\r\n\r\n')
      if (headEnd === -1 || headEnd + 4 > this.#maxMessageBytes) {
        if (this.#buffer.length > this.#maxMessageBytes || headEnd !== -1) {
          results.push(this.#fail('headers exceed the message size limit', this.#maxMessageBytes))
        }
        return results
      }
      const head = this.#buffer.subarray(0, headEnd).toString('latin1')
      const lengths = [...head.matchAll(CONTENT_LENGTH)].map((match) => match[1].trim())
      if (lengths.length === 0) {
        results.push(this.#fail('Content-Length required on stream transports', headEnd + 4))
        return results
      }
      if (lengths.length > 1) {
        results.push(this.#fail('duplicate content-length header', headEnd + 4))
        return results
      }
      if (!/^\d{1,9}$/.test(lengths[0])) {
        results.push(this.#fail('invalid Content-Length', headEnd + 4))
        return results
      }
      const total = headEnd + 4 + Number(lengths[0])
      if (total > this.#maxMessageBytes) {
        results.push(this.#fail('message too large', headEnd + 4))
        return results
      }
      if (this.#buffer.length < total) return results
      results.push({ kind: 'message', data: Buffer.from(this.#buffer.subarray(0, total)) })
      this.#buffer = this.#buffer.subarray(total)
    }
  }

  #fail(reason: string, headBytes: number): FrameResult {
    const head = Buffer.from(this.#buffer.subarray(0, headBytes))
    this.#buffer = Buffer.alloc(0)
    return { kind: 'error', reason, head }
  }
}
