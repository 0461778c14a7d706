import { test } from '@japa/runner'
import storage, { LocalDiskStorage, signedFileUrl, tenantKey } from '#services/storage/storage'

test.group('Stored files and signed URLs', () => {
  test('a signed URL streams exactly the granted file', async ({ client, assert, cleanup }) => {
    const key = tenantKey(42, 'prompts', 'wav')
    assert.match(key, /^42\/prompts\/[0-9a-f-]{36}\.wav$/)
    await storage.put(key, Buffer.from('RIFF-fake-audio'))
    cleanup(() => storage.delete(key))

    const url = new URL(
      signedFileUrl({ organizationId: 42, key, mime: 'audio/wav', filename: 'hello.wav' }),
    )
    const response = await client.get(url.pathname)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'audio/wav')
    assert.equal(response.text() || String(response.body()), 'RIFF-fake-audio')
  })

  test('a tampered or expired token is a 404', async ({ client, assert, cleanup }) => {
    const key = tenantKey(42, 'prompts', 'wav')
    await storage.put(key, Buffer.from('x'))
    cleanup(() => storage.delete(key))
    const grant = { organizationId: 42, key, mime: 'audio/wav', filename: 'a.wav' }

    const valid = new URL(signedFileUrl(grant)).pathname
    const tampered = valid.slice(0, -4) + (valid.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    const forged = await client.get(tampered)
    forged.assertStatus(404)
    assert.equal(forged.body().error.code, 'E_NOT_FOUND')

    const expired = new URL(signedFileUrl(grant, '1s')).pathname
    await new Promise((r) => setTimeout(r, 1500))
    ;(await client.get(expired)).assertStatus(404)
  }).timeout(10_000)

  test('a key cannot escape the storage root', async ({ assert }) => {
    const disk = new LocalDiskStorage('tmp/storage-test')
    await assert.rejects(() => disk.put('../../etc/evil', Buffer.from('x')), /escapes the root/)
    assert.throws(() => disk.read('/etc/passwd'), /escapes the root/)
  })
})
