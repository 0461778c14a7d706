/** Typed failures of the media control channel, so callers can map them to SIP statuses. */
export class MediaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MediaError'
  }
}

/** rtpengine did not answer within the command timeout (→ 480/503 upstream). */
export class MediaTimeoutError extends MediaError {
  readonly command: string
  constructor(command: string, timeoutMs: number) {
    super(`rtpengine ${command} timed out after ${timeoutMs} ms`)
    this.name = 'MediaTimeoutError'
    this.command = command
  }
}

/** rtpengine answered `result: error` (e.g. "Unknown call-id", "Ran out of ports"). */
export class MediaCommandError extends MediaError {
  readonly command: string
  readonly reason: string
  constructor(command: string, reason: string) {
    super(`rtpengine ${command} failed: ${reason}`)
    this.name = 'MediaCommandError'
    this.command = command
    this.reason = reason
  }
}

/** The reply was not what the ng protocol promises (missing sdp, bad list …). */
export class MediaProtocolError extends MediaError {
  constructor(message: string) {
    super(message)
    this.name = 'MediaProtocolError'
  }
}
