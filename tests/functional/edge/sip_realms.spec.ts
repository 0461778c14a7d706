import { test } from '@japa/runner'
import env from '#start/env'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { signedHeaders } from '../../../voip-edge/src/events/signer.js'

const SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()

/* Exactly what voip-edge's HttpCredentialStore sends: its own signer, a GET with no body. */
function edgeGet(path: string, secret = SECRET()) {
  const url = new URL(path, `http://127.0.0.1:${env.get('PORT')}`)
  return fetch(url, { headers: signedHeaders(secret, crypto.randomUUID(), 'GET', url, '') })
}

test.group('Edge credential lookups (/api/edge/sip-realms)', (group) => {
  isolate(group)

  test('resolves a realm and returns an extension password to the signed edge', async ({
    assert,
  }) => {
    const { organization, user } = await createTenant()
    const extension = await makeExtension(organization, { number: '401', userId: user.id })
    const realm = await edgeGet(`/api/edge/sip-realms/${organization.sipDomain.toUpperCase()}`)
    assert.equal(realm.status, 200)
    assert.deepEqual(await realm.json(), { organizationId: String(organization.id) })

    const lookup = await edgeGet(`/api/edge/sip-realms/${organization.sipDomain}/users/401`)
    assert.equal(lookup.status, 200)
    assert.deepEqual(await lookup.json(), {
      organizationId: String(organization.id),
      extensionId: String(extension.id),
      password: 'seeded-sip-password-0123456789',
    })
  })

  test('unknown, inactive, foreign and suspended all look the same: 404', async ({ assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    await makeExtension(a.organization, { number: '401', status: 'inactive' })
    await makeExtension(b.organization, { number: '402' })
    const suspended = await createTenant('suspended')
    await makeExtension(suspended.organization, { number: '403' })
    for (const path of [
      '/api/edge/sip-realms/nobody.pbx.localhost',
      `/api/edge/sip-realms/${a.organization.sipDomain}/users/401`,
      `/api/edge/sip-realms/${a.organization.sipDomain}/users/402`,
      `/api/edge/sip-realms/${suspended.organization.sipDomain}/users/403`,
    ]) {
      const response = await edgeGet(path)
      assert.equal(response.status, 404, path)
    }
  })

  test('refuses unsigned and wrongly signed requests with 401', async ({ assert }) => {
    const { organization } = await createTenant()
    const path = `/api/edge/sip-realms/${organization.sipDomain}`
    const unsigned = await fetch(new URL(path, `http://127.0.0.1:${env.get('PORT')}`))
    assert.equal(unsigned.status, 401)
    assert.equal(
      ((await unsigned.json()) as { error: { code: string } }).error.code,
      'E_WEBHOOK_SIGNATURE_INVALID',
    )
    const forged = await edgeGet(path, 'not-the-edge-secret-0123456789abcdef')
    assert.equal(forged.status, 401)
  })

  test('new organizations get a SIP domain from their slug', async ({ assert }) => {
    const { organization } = await createTenant()
    assert.equal(organization.sipDomain, `${organization.slug}.pbx.localhost`)
  })
})
