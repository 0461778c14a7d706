import env from '#start/env'

/*
 * A signed-in browser session over real HTTP, for endpoints a test must read as a stream
 * (server-sent events) rather than through the API client. Goes through the login form
 * with its CSRF token, like a browser.
 */
export class WebSession {
  cookies = new Map<string, string>()

  static base() {
    return `http://127.0.0.1:${env.get('PORT')}`
  }

  static async signIn(email: string, password: string) {
    const session = new WebSession()
    await session.fetch('/login')
    const response = await session.fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    })
    if (response.status !== 302 || response.headers.get('location') !== '/')
      throw new Error(`sign-in failed: ${response.status} ${response.headers.get('location')}`)
    return session
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    headers.set('cookie', this.cookieHeader())
    const xsrf = this.cookies.get('XSRF-TOKEN')
    if (xsrf) headers.set('x-xsrf-token', decodeURIComponent(xsrf))
    const response = await fetch(`${WebSession.base()}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair.indexOf('=')
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return response
  }
}

export type ServerSentEvent = { event: string; data: string }

/** Reads a text/event-stream response event by event. */
export class EventStreamReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>
  #decoder = new TextDecoder()
  #buffer = ''
  #pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | null = null
  readonly events: ServerSentEvent[] = []

  constructor(response: Response) {
    if (!response.body) throw new Error('no body')
    this.#reader = response.body.getReader()
  }

  /** The first not yet consumed event that matches, reading more of the stream as needed. */
  async next(match: (e: ServerSentEvent) => boolean = () => true, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    while (true) {
      const index = this.events.findIndex(match)
      if (index >= 0) return this.events.splice(index, 1)[0]
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('no matching server-sent event in time')
      let timer: NodeJS.Timeout | undefined
      // A read that lost the race stays pending and is awaited next time, never dropped.
      this.#pending ??= this.#reader.read()
      const chunk = await Promise.race([
        this.#pending,
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
      ])
      clearTimeout(timer)
      if (chunk === null) continue
      this.#pending = null
      if (chunk.done) throw new Error('event stream closed')
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true })
      let end: number
      while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
        const block = this.#buffer.slice(0, end)
        this.#buffer = this.#buffer.slice(end + 2)
        const event: ServerSentEvent = { event: 'message', data: '' }
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice(7)
          else if (line.startsWith('data: ')) event.data += line.slice(6)
        }
        if (!block.split('\n').every((l) => l.startsWith(':'))) this.events.push(event)
      }
    }
  }

  async close() {
    await this.#reader.cancel().catch(() => {})
  }
}
