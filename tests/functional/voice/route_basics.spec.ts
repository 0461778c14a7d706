import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { signedHeaders } from '../../../voip-edge/src/events/signer.js'
import { parseXml } from '../../../voip-edge/src/routing/cxml.js'
import { createTenant, isolate } from '#tests/helpers'
import { actionOf, follow, makeDid, makeExtension, only, verbs, voice } from './support.js'

test.group('Voice routing: entry, tenancy and well-formed CXML', (group) => {
  isolate(group)

  test('a DID routed to an extension dials its phone with the tenant no-answer timeout', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await db.table('organization_settings').insert({
      organization_id: organization.id,
      no_answer_timeout: 17,
      created_at: new Date(),
      updated_at: new Date(),
    })
    const extension = await makeExtension(organization, { number: '201' })
    const to = await makeDid(organization, 'extension', extension.id)

    const answer = await voice('/api/voice/route', { From: '+15550001111', To: to })
    assert.equal(answer.status, 200)
    assert.match(answer.contentType, /^application\/xml/)
    assert.deepEqual(verbs(answer.root), ['Dial'])
    const dial = only(answer.root, 'Dial')
    assert.equal(dial.attributes.timeout, '17')
    assert.deepEqual(actionOf(dial), {
      path: '/api/voice/dial-result',
      params: { extension: String(extension.id) },
    })
    assert.deepEqual(
      dial.children.map((c) => [c.name, c.text]),
      [['Sip', `sip:201@${organization.sipDomain}`]],
    )
  })

  test('accepts a form-encoded request (OPBX-era senders)', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '202' })
    const to = await makeDid(organization, 'extension', extension.id)
    const answer = await voice('/api/voice/route', { From: '+15550001111', To: to }, { form: true })
    assert.equal(answer.status, 200)
    assert.deepEqual(verbs(answer.root), ['Dial'])
  })

  test('an internal call reaches the extension dialled in the caller tenant', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await makeExtension(organization, { number: '301' })
    await makeExtension(organization, { number: '302' })
    const answer = await voice('/api/voice/route', {
      From: '301',
      To: '302',
      Direction: 'subscriber',
      Domain: organization.sipDomain,
    })
    const dial = only(answer.root, 'Dial')
    assert.equal(dial.children[0].text, `sip:302@${organization.sipDomain}`)
  })

  test('a number of tenant A never reaches tenant B, even when extension numbers collide', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extensionA = await makeExtension(a.organization, { number: '500' })
    const extensionB = await makeExtension(b.organization, { number: '500' })
    const to = await makeDid(a.organization, 'extension', extensionA.id)
    const dial = only(
      (await voice('/api/voice/route', { From: '+15550001111', To: to })).root,
      'Dial',
    )
    assert.equal(dial.children[0].text, `sip:500@${a.organization.sipDomain}`)

    // A DID of A whose target id is B's extension (a corrupted row) routes nowhere.
    const forged = await makeDid(a.organization, 'extension', extensionB.id)
    const refused = await voice('/api/voice/route', { From: '+15550001111', To: forged })
    assert.deepEqual(verbs(refused.root), ['Say', 'Hangup'])
    assert.notInclude(refused.xml, b.organization.sipDomain)

    // B's domain naming A's number is refused by the webhook authentication.
    const mismatch = await voice('/api/voice/route', {
      From: '+15550001111',
      To: to,
      Domain: b.organization.sipDomain,
    })
    assert.equal(mismatch.status, 404)

    // An internal call in B to "500" rings B's own phone, never A's.
    const internal = await voice('/api/voice/route', {
      From: '500',
      To: '500',
      Direction: 'subscriber',
      Domain: b.organization.sipDomain,
    })
    assert.equal(
      only(internal.root, 'Dial').children[0].text,
      `sip:500@${b.organization.sipDomain}`,
    )
  })

  test('an unknown or inactive number of a known tenant gets an apology, not an error', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization)
    const inactive = await makeDid(organization, 'extension', extension.id, { status: 'inactive' })
    for (const to of ['+4999999999', inactive]) {
      const answer = await voice('/api/voice/route', {
        From: '+15550001111',
        To: to,
        Domain: organization.sipDomain,
      })
      assert.equal(answer.status, 200)
      assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
      assert.match(only(answer.root, 'Say').text, /not in service/)
    }
  })

  test('a suspended tenant routes nowhere', async ({ assert }) => {
    const { organization } = await createTenant('suspended')
    const extension = await makeExtension(organization)
    const to = await makeDid(organization, 'extension', extension.id)
    const answer = await voice('/api/voice/route', { To: to })
    assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
  })

  test('an inactive extension target and the hangup target', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { status: 'inactive' })
    const to = await makeDid(organization, 'extension', extension.id)
    assert.deepEqual(verbs((await voice('/api/voice/route', { To: to })).root), ['Say', 'Hangup'])
    const hangup = await makeDid(organization, 'hangup', null)
    assert.deepEqual(verbs((await voice('/api/voice/route', { To: hangup })).root), ['Hangup'])
  })

  test('a hostile caller name cannot break out of the document', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true, name: 'Bob' })
    const to = await makeDid(organization, 'voicemail', extension.id)
    const hostile = '</Dial><Dial><Number>+19005550000</Number></Dial><!ENTITY x "y">'
    const answer = await voice('/api/voice/route', { To: to, CallerName: hostile, From: hostile })
    assert.deepEqual(verbs(answer.root), ['Say', 'Record', 'Say', 'Hangup'])
    assert.notInclude(answer.xml, '<!ENTITY')
    assert.notInclude(answer.xml, '+19005550000</Number>')

    const record = only(answer.root, 'Record')
    const done = await follow(record, {
      To: to,
      CallerName: hostile,
      From: hostile,
      RecordingUrl: hostile,
    })
    assert.deepEqual(verbs(done.root), ['Say', 'Hangup'])
  })

  test('wrongly signed, and unsigned for an edge tenant, are refused before routing', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await db.table('organization_settings').insert({
      organization_id: organization.id,
      tenant_mode: 'edge',
      created_at: new Date(),
      updated_at: new Date(),
    })
    const to = await makeDid(organization, 'hangup', null)
    const forged = await voice('/api/voice/route', { To: to }, { secret: 'not-the-edge-secret' })
    assert.equal(forged.status, 401)
    const unsigned = await voice('/api/voice/route', { To: to }, { sign: false })
    assert.equal(unsigned.status, 401)
    assert.notInclude(unsigned.xml, '<Hangup')
  })
})

test.group('Voice routing: request shapes', (group) => {
  isolate(group)

  test('a GET application request (Cloudonix default) routes from the query string', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '231' })
    const to = await makeDid(organization, 'extension', extension.id)
    const url = new URL(
      `/api/voice/route?${new URLSearchParams({ To: to, From: '+15550001111' })}`,
      `http://127.0.0.1:${env.get('PORT')}`,
    )
    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
    const response = await fetch(url, {
      headers: {
        'x-cx-domain': organization.sipDomain,
        ...signedHeaders(secret, crypto.randomUUID(), 'GET', url, ''),
      },
    })
    assert.equal(response.status, 200)
    const dial = only(parseXml(await response.text()), 'Dial')
    assert.equal(dial.children[0].text, `sip:231@${organization.sipDomain}`)
  })

  test('the called number is found with or without its leading +', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '232' })
    const to = await makeDid(organization, 'extension', extension.id)
    const answer = await voice('/api/voice/route', { To: to.slice(1) })
    assert.equal(only(answer.root, 'Dial').children[0].text, `sip:232@${organization.sipDomain}`)
  })

  test('tampered or missing action parameters get an apology, never an error', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const to = await makeDid(organization, 'hangup', null)
    for (const path of [
      '/api/voice/dial-result?extension=abc',
      '/api/voice/ring-group-callback?group=1',
      '/api/voice/ivr-input?menu=-1&attempt=0',
      '/api/voice/conference-pin',
      '/api/voice/voicemail-complete?extension=99999999999',
    ]) {
      const answer = await voice(path, { To: to, DialCallStatus: 'no-answer' })
      assert.equal(answer.status, 200, path)
      assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'], path)
    }
  })
})
