/**
 * The slice of `rtpengine-client` (plain JS, untyped) that src/media/rtpengine.ts uses.
 * Values are `unknown` on purpose: the wrapper validates every reply before trusting it.
 */
declare module 'rtpengine-client' {
  import { EventEmitter } from 'node:events'

  interface NgDestination {
    host: string
    port: number
  }

  class Client extends EventEmitter {
    constructor(options: {
      localPort?: number
      localAddress?: string
      timeout?: number
      rejectOnError?: boolean
    })
    offer(dest: NgDestination, options: Record<string, unknown>): Promise<Record<string, unknown>>
    answer(dest: NgDestination, options: Record<string, unknown>): Promise<Record<string, unknown>>
    delete(dest: NgDestination, options: Record<string, unknown>): Promise<Record<string, unknown>>
    query(dest: NgDestination, options: Record<string, unknown>): Promise<Record<string, unknown>>
    list(dest: NgDestination, options: Record<string, unknown>): Promise<Record<string, unknown>>
    ping(dest: NgDestination, options?: Record<string, unknown>): Promise<Record<string, unknown>>
    playMedia(
      dest: NgDestination,
      options: Record<string, unknown>,
    ): Promise<Record<string, unknown>>
    stopMedia(
      dest: NgDestination,
      options: Record<string, unknown>,
    ): Promise<Record<string, unknown>>
    startRecording(
      dest: NgDestination,
      options: Record<string, unknown>,
    ): Promise<Record<string, unknown>>
    stopRecording(
      dest: NgDestination,
      options: Record<string, unknown>,
    ): Promise<Record<string, unknown>>
    close(): void
  }

  class RtpEngineError extends Error {}

  const rtpengine: { Client: typeof Client; RtpEngineError: typeof RtpEngineError }
  export default rtpengine
}
