import { test } from '@japa/runner'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import redis from '@adonisjs/redis/services/main'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { wavFile } from '#tests/functional/recordings/helpers'
import { bindingKey } from '#services/dashboard/registered_devices'

async function tempFile(name: string, content: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'portal-'))
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

test.group('Self-service portal: follow-me, voicemail box, devices', (group) => {
  isolate(group)

  test('a PBX user saves follow-me numbers; mistakes come back per field', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '501', userId: user.id })
    const bad = await client
      .put(`/phone/extensions/${extension.id}/follow-me`)
      .withCsrfToken()
      .json({ enabled: true, numbers: [{ number: 'call me', ringSeconds: 2 }] })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    const errors = bad.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.exists(errors['numbers.0.number'])
    assert.exists(errors['numbers.0.ringSeconds'])

    const saved = await client
      .put(`/phone/extensions/${extension.id}/follow-me`)
      .withCsrfToken()
      .json({ enabled: true, numbers: [{ number: '+447700900123', ringSeconds: 25 }] })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    assert.equal(saved.flashMessages().success, 'Follow-me saved.')
    await extension.refresh()
    assert.deepEqual(extension.followMe, {
      enabled: true,
      numbers: [{ number: '+447700900123', ringSeconds: 25 }],
    })
    const page = await client.get('/phone').withGuard('web').loginAs(user).withInertia()
    page.assertInertiaPropsContains({ extension: { followMe: { enabled: true } } })
  })

  test("someone else's extension cannot be changed from the portal", async ({ client, assert }) => {
    const { user, admin, organization } = await createTenant()
    const theirs = await makeExtension(organization, { number: '502', userId: admin.id })
    const response = await client
      .put(`/phone/extensions/${theirs.id}/follow-me`)
      .withCsrfToken()
      .json({ enabled: true, numbers: [{ number: '+447700900123', ringSeconds: 25 }] })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    assert.exists(response.flashMessages().error)
    await theirs.refresh()
    assert.isFalse(theirs.followMe.enabled)

    const other = await createTenant()
    const foreign = await makeExtension(other.organization, {
      number: '503',
      userId: other.user.id,
    })
    const cross = await client
      .put(`/phone/extensions/${foreign.id}/voicemail-box`)
      .withCsrfToken()
      .json({ pin: '1234' })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    assert.equal(cross.status(), 404)
    assert.equal(
      await foreign
        .related('voicemailBox')
        .query()
        .count('* as n')
        .first()
        .then((r) => Number(r!.$extras.n)),
      0,
    )
  })

  test('voicemail PIN, notification email and greeting', async ({ client, assert }) => {
    const { user, organization } = await createTenant()
    const extension = await makeExtension(organization, {
      number: '504',
      userId: user.id,
      voicemailEnabled: true,
    })
    const url = `/phone/extensions/${extension.id}/voicemail-box`
    const bad = await client
      .put(url)
      .withCsrfToken()
      .json({ pin: '12ab', email: 'not-an-email' })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    const errors = bad.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.exists(errors.pin)
    assert.exists(errors.email)

    await client
      .put(url)
      .withCsrfToken()
      .json({ pin: '2468', email: 'me@example.test', notify: true })
      .withGuard('web')
      .loginAs(user)
    const upload = await client
      .post(`${url}/greeting`)
      .withCsrfToken()
      .file('greeting', await tempFile('hello.wav', wavFile(0.5)))
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    assert.equal(upload.flashMessages().success, 'Voicemail greeting uploaded.')
    const notWav = await client
      .post(`${url}/greeting`)
      .withCsrfToken()
      .file('greeting', await tempFile('hello.txt', Buffer.from('hello')))
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    assert.exists((notWav.flashMessages().inputErrorsBag as Record<string, string[]>).greeting)

    const page = await client.get('/phone').withGuard('web').loginAs(user).withInertia()
    page.assertInertiaPropsContains({
      voicemailBox: { pinSet: true, email: 'me@example.test', notify: true, hasGreeting: true },
    })
    assert.notInclude(JSON.stringify(page.inertiaProps), '2468')
  })

  test('lists the phones registered for the extension', async ({ client, assert }) => {
    const { user, organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '505', userId: user.id })
    const empty = await client.get('/phone').withGuard('web').loginAs(user).withInertia()
    assert.deepEqual((empty.inertiaProps as any).devices, [])
    await redis.hset(bindingKey(organization.id, `505@${organization.sipDomain}`), {
      'sip:505@192.0.2.10:5062': JSON.stringify({
        contact: 'sip:505@192.0.2.10:5062',
        expiresAt: Date.now() + 120_000,
        source: { address: '192.0.2.10', port: 5062 },
      }),
    })
    const page = await client
      .get(`/phone?extension=${extension.id}`)
      .withGuard('web')
      .loginAs(user)
      .withInertia()
    const devices = (page.inertiaProps as any).devices
    assert.lengthOf(devices, 1)
    assert.containsSubset(devices[0], {
      contact: 'sip:505@192.0.2.10:5062',
      address: '192.0.2.10:5062',
    })
  })
})
