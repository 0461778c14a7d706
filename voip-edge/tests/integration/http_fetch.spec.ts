import { test } from '@japa/runner'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FetchError, httpFetch } from '../../src/cxml/http_fetch.ts'
import { PromptCache, PromptError } from '../../src/media/prompt_cache.ts'

const limits = { connectTimeoutMs: 1000, totalTimeoutMs: 1500, maxBytes: 1000 }

test.group('edge HTTP budget and Play prompt cache (local HTTP server)', (group) => {
  let server: Server
  let base = ''
  let hits = 0
  let folder = ''

  group.setup(async () => {
    folder = mkdtempSync(join(tmpdir(), 'voip-edge-fetch-'))
    server = createServer((request, response) => {
      hits++
      if (request.url === '/slow') return void setTimeout(() => response.end('late'), 4000)
      if (request.url === '/big') return void response.end(Buffer.alloc(5000))
      if (request.url === '/text') {
        response.writeHead(200, { 'content-type': 'text/html' })
        return void response.end('<html>not audio</html>')
      }
      if (request.url?.startsWith('/prompt.wav')) {
        response.writeHead(200, { 'content-type': 'audio/wav' })
        return void response.end(Buffer.from('RIFF0000WAVEfmt '))
      }
      response.writeHead(404)
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    base = `http://127.0.0.1:${address.port}`
    return async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('total timeout, size cap and refused connections are typed errors', async ({ assert }) => {
    const kind = async (url: string) => {
      try {
        await httpFetch(new URL(url), { method: 'GET', limits })
        return 'ok'
      } catch (error) {
        return error instanceof FetchError ? error.kind : 'other'
      }
    }
    assert.equal(await kind(`${base}/slow`), 'timeout')
    assert.equal(await kind(`${base}/big`), 'too-large')
    // A port nobody listens on: refused at once, a connect failure (the router retries those).
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()))
    const port = (closed.address() as { port: number }).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    assert.equal(await kind(`http://127.0.0.1:${port}/`), 'connect')
    const ok = await httpFetch(new URL(`${base}/prompt.wav`), { method: 'GET', limits })
    assert.equal(ok.status, 200)
  })

  test('Play prompts: fetched once and cached, relative to the document; not audio, private and non-http URLs refused', async ({
    assert,
  }) => {
    const prompts = new PromptCache({ dir: folder, limits, allowedOrigins: [base] })
    const before = hits
    const first = await prompts.file('/prompt.wav?v=1', `${base}/api/voice/route`)
    const again = await prompts.file(`${base}/prompt.wav?v=1`, null)
    assert.equal(first, again)
    assert.match(first, /\.wav$/)
    assert.equal(hits - before, 1, 'one download for two plays')
    // A new signed URL of the same audio downloads again but is stored once (by content).
    const resigned = await prompts.file(`${base}/prompt.wav?v=other-signature`, null)
    assert.equal(resigned, first)
    assert.equal(hits - before, 2)

    const refused = async (url: string, cache = prompts) => {
      try {
        await cache.file(url, null)
        return null
      } catch (error) {
        assert.instanceOf(error, PromptError)
        return (error as Error).message
      }
    }
    assert.match((await refused(`${base}/text`))!, /not audio/)
    assert.match((await refused(`${base}/missing.wav`))!, /answered 404/)
    assert.match((await refused('file:///etc/passwd'))!, /unsupported scheme/)
    // Without the app's origin on the allow list, loopback and private networks are refused.
    const strict = new PromptCache({ dir: folder, limits, allowedOrigins: [] })
    assert.match((await refused(`${base}/prompt.wav?v=2`, strict))!, /private address/)
    assert.match((await refused('http://10.1.2.3/x.wav', strict))!, /private address/)
    assert.match((await refused('http://[::1]/x.wav', strict))!, /private address/)
  })
})
