import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { isPublicAddress } from '#services/media/public_address'
import { remoteUrlProblem } from '#services/media/remote_url_guard'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

/*
 * No network here: only IP literals and names resolved locally (localhost) are used, and
 * nothing is ever fetched. The guard resolves, it does not download.
 */
test.group('Recordings: remote URLs (SSRF guard)', (group) => {
  isolate(group)

  test('links a remote prompt on a public address', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const created = await client
      .post('/api/v1/recordings')
      .bearerToken(token)
      .json({ name: 'Remote hello', remoteUrl: 'https://93.184.216.34/prompts/hello.mp3' })
    created.assertStatus(201)
    assert.containsSubset(created.body().data, {
      kind: 'remote',
      remoteUrl: 'https://93.184.216.34/prompts/hello.mp3',
      size: null,
      originalFilename: null,
    })
    const url = await client
      .get(`/api/v1/recordings/${created.body().data.id}/url`)
      .bearerToken(token)
    url.assertStatus(200)
    assert.deepEqual(url.body().data, {
      url: 'https://93.184.216.34/prompts/hello.mp3',
      expiresAt: null,
    })
  })

  test('refuses internal, reserved and credentialed URLs with a remoteUrl field error', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const refused = [
      'http://127.0.0.1/a.wav',
      'http://127.1.2.3:8080/a.wav',
      'http://localhost/a.wav',
      'http://api.localhost/a.wav',
      'http://10.1.2.3/a.wav',
      'http://172.16.5.4/a.wav',
      'http://172.31.255.255/a.wav',
      'http://192.168.1.10/a.wav',
      'http://100.64.0.1/a.wav',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://0.0.0.0/a.wav',
      'http://224.0.0.1/a.wav',
      'http://2130706433/a.wav', // 127.0.0.1 written as one number
      'http://0x7f000001/a.wav',
      'http://[::1]/a.wav',
      'http://[::]/a.wav',
      'http://[::ffff:127.0.0.1]/a.wav',
      'http://[::ffff:a9fe:a9fe]/a.wav', // 169.254.169.254, IPv4-mapped
      'http://[64:ff9b::a00:1]/a.wav', // 10.0.0.1 via NAT64
      'http://[fe80::1]/a.wav',
      'http://[fc00::1]/a.wav',
      'http://[fd00:ec2::254]/a.wav',
      'http://[ff02::1]/a.wav',
      'https://user:secret@93.184.216.34/a.wav',
      'ftp://93.184.216.34/a.wav',
      'file:///etc/passwd',
      'not a url',
    ]
    for (const remoteUrl of refused) {
      const response = await client
        .post('/api/v1/recordings')
        .bearerToken(token)
        .json({ name: 'Sneaky', remoteUrl })
      assert.equal(response.status(), 422, remoteUrl)
      const fields = response.body().error.details.fields
      assert.deepEqual(
        fields.map((f: { field: string }) => f.field),
        ['remoteUrl'],
        remoteUrl,
      )
      assert.isString(fields[0].message)
    }
    assert.equal(
      await db
        .from('recordings')
        .count('* as n')
        .first()
        .then((r) => +r.n),
      0,
    )
  })

  test('the guard explains why and classifies addresses of both families', async ({ assert }) => {
    assert.match(
      (await remoteUrlProblem('http://10.0.0.1/x'))!,
      /private, loopback or reserved address/,
    )
    assert.match((await remoteUrlProblem('http://u:p@93.184.216.34/'))!, /credentials/)
    assert.match((await remoteUrlProblem('gopher://93.184.216.34/'))!, /http and https/)
    assert.isNull(await remoteUrlProblem('http://93.184.216.34/x.wav'))
    assert.isNull(await remoteUrlProblem('https://[2606:2800:220:1:248:1893:25c8:1946]/x'))

    for (const address of ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
      assert.isTrue(isPublicAddress(address), address)
    for (const address of [
      '127.0.0.1',
      '10.255.255.255',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.1.1',
      '100.127.255.254',
      '255.255.255.255',
      '::1',
      '::',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '2002:c0a8:0101::1', // 6to4 of 192.168.1.1
      'fe80::abcd',
      'fdff::1',
      'ff05::2',
      'not-an-ip',
    ])
      assert.isFalse(isPublicAddress(address), address)
  })

  test('names are judged by every address they resolve to', async ({ assert }) => {
    // `localhost` resolves locally (no network) to loopback only.
    assert.match((await remoteUrlProblem('http://localhost./a.wav'))!, /private/)
    assert.match(
      (await remoteUrlProblem('http://no-such-host.invalid/a.wav'))!,
      /could not be resolved/,
    )
    // A name with one internal address among public ones is refused (DNS answers faked).
    const answers =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({ address }))
    const url = 'https://prompts.example.com/a.wav'
    assert.isNull(await remoteUrlProblem(url, answers('93.184.216.34', '2606:2800:220:1::1')))
    assert.match((await remoteUrlProblem(url, answers('93.184.216.34', '10.0.0.5')))!, /private/)
    assert.match((await remoteUrlProblem(url, answers('::ffff:169.254.169.254')))!, /private/)
    assert.match((await remoteUrlProblem(url, answers()))!, /could not be resolved/)
  })
})
