import { test } from '@japa/runner'
import type { HttpContext } from '@adonisjs/core/http'
import { AuthorizationResponse } from '@adonisjs/bouncer'
import OrganizationSettingsPolicy from '#policies/organization_settings_policy'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

const API_KEY = 'XIabcdefghijklmnopqrstuvwxyz012345'

test.group('Settings API', (group) => {
  isolate(group)

  test('the first read creates the defaults', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const response = await client.get('/api/v1/settings').bearerToken(await tokenFor(owner))
    response.assertStatus(200)
    assert.deepInclude(response.body().data, {
      tenantMode: 'cloudonix',
      recording: { enabled: false, format: 'mp3' },
      retention: { recordingsDays: 90, voicemailDays: 90, callLogsDays: 365, auditDays: 365 },
    })
    assert.deepInclude(response.body().data.cloudonix, {
      apiKeySet: false,
      apiKeyMasked: null,
      noAnswerTimeout: 60,
    })
    const rows = await db.from('organization_settings').where('organization_id', organization.id)
    assert.lengthOf(rows, 1)
    await client.get('/api/v1/settings').bearerToken(await tokenFor(owner))
    const again = await db.from('organization_settings').where('organization_id', organization.id)
    assert.lengthOf(again, 1)
  })

  test('the owner updates settings partially; the API key is stored encrypted and never returned', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
    const response = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({
        tenantMode: 'edge',
        cloudonix: {
          domainUuid: '0b7a4c9e-5d2f-4d8e-9a51-3f1c2b6e7d90',
          domainName: 'acme.cloudonix.net',
          apiKey: API_KEY,
          voiceApplicationId: '4526',
          voiceApplicationName: 'opbx-routing',
          noAnswerTimeout: 45,
        },
        recording: { enabled: true, format: 'wav' },
        retention: { callLogsDays: 30, auditDays: 730 },
      })
    response.assertStatus(200)
    const data = response.body().data
    assert.equal(data.tenantMode, 'edge')
    assert.deepInclude(data.cloudonix, {
      domainName: 'acme.cloudonix.net',
      apiKeySet: true,
      apiKeyMasked: 'XI••••••••45',
      noAnswerTimeout: 45,
    })
    assert.deepEqual(data.recording, { enabled: true, format: 'wav' })
    assert.deepEqual(data.retention, {
      recordingsDays: 90,
      voicemailDays: 90,
      callLogsDays: 30,
      auditDays: 730,
    })
    assert.notInclude(response.text(), API_KEY)

    const raw = await db
      .from('organization_settings')
      .where('organization_id', organization.id)
      .firstOrFail()
    assert.isString(raw.domain_api_key)
    assert.notInclude(raw.domain_api_key, API_KEY)

    const shown = await client.get('/api/v1/settings').bearerToken(token)
    assert.notInclude(shown.text(), API_KEY)
    assert.equal(shown.body().data.cloudonix.apiKeyMasked, 'XI••••••••45')

    // Omitting the key keeps it; null clears it.
    await client.put('/api/v1/settings').bearerToken(token).json({ tenantMode: 'cloudonix' })
    const kept = await client.get('/api/v1/settings').bearerToken(token)
    assert.isTrue(kept.body().data.cloudonix.apiKeySet)
    const cleared = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({ cloudonix: { apiKey: null } })
    assert.isFalse(cleared.body().data.cloudonix.apiKeySet)
  })

  test('edge mode needs an active webhook secret first', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const refused = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({ tenantMode: 'edge' })
    refused.assertStatus(422)
    assert.equal(refused.body().error.details.fields[0].field, 'tenantMode')
    const unchanged = await client.get('/api/v1/settings').bearerToken(token)
    assert.equal(unchanged.body().data.tenantMode, 'cloudonix')

    await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(token)
    const accepted = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({ tenantMode: 'edge' })
    accepted.assertStatus(200)
    assert.equal(accepted.body().data.tenantMode, 'edge')
  })

  test('updates are audited with the key masked', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    await client
      .put('/api/v1/settings')
      .bearerToken(await tokenFor(owner))
      .json({ cloudonix: { apiKey: API_KEY, noAnswerTimeout: 30 } })
    const audit = await AuditLog.query()
      .where('organization_id', organization.id)
      .where('action', 'organization_settings.updated')
      .firstOrFail()
    assert.equal(audit.actorUserId, owner.id)
    assert.equal((audit.before as any).cloudonix.noAnswerTimeout, 60)
    assert.equal((audit.after as any).cloudonix.noAnswerTimeout, 30)
    assert.equal((audit.after as any).cloudonix.apiKeyMasked, 'XI••••••••45')
    assert.isTrue((audit.metadata as any).apiKeyChanged)
    assert.notInclude(JSON.stringify(audit.serialize()), API_KEY)
  })

  test('invalid settings answer 422 with the field names', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .put('/api/v1/settings')
      .bearerToken(await tokenFor(owner))
      .json({
        tenantMode: 'asterisk',
        cloudonix: { domainUuid: 'not-a-uuid', noAnswerTimeout: 4, apiKey: 'short' },
        recording: { format: 'ogg' },
        retention: { recordingsDays: 0, voicemailDays: 3651, auditDays: 1.5 },
      })
    response.assertStatus(422)
    const fields = response.body().error.details.fields.map((f: { field: string }) => f.field)
    assert.sameMembers(fields, [
      'tenantMode',
      'cloudonix.domainUuid',
      'cloudonix.apiKey',
      'cloudonix.noAnswerTimeout',
      'recording.format',
      'retention.recordingsDays',
      'retention.voicemailDays',
      'retention.auditDays',
    ])
    const ceiling = await client
      .put('/api/v1/settings')
      .bearerToken(await tokenFor(owner))
      .json({ cloudonix: { noAnswerTimeout: 121 } })
    ceiling.assertStatus(422)
  })

  for (const [actor, canView, canUpdate] of [
    ['owner', true, true],
    ['admin', true, false],
    ['user', false, false],
    ['reporter', false, false],
  ] as const) {
    test(`${actor} ${canView ? 'may' : 'may not'} read and ${canUpdate ? 'may' : 'may not'} change settings`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const token = await tokenFor(tenant[actor])
      const show = await client.get('/api/v1/settings').bearerToken(token)
      assert.equal(show.status(), canView ? 200 : 403)
      const update = await client
        .put('/api/v1/settings')
        .bearerToken(token)
        .json({ cloudonix: { noAnswerTimeout: 90 } })
      assert.equal(update.status(), canUpdate ? 200 : 403)
      if (!canUpdate) {
        assert.equal(update.body().error.code, 'E_FORBIDDEN')
        const row = await db
          .from('organization_settings')
          .where('organization_id', tenant.organization.id)
          .first()
        assert.notEqual(row?.no_answer_timeout, 90)
      }
    })
  }

  test('support staff impersonating an owner may read but not change settings or secrets', async ({
    assert,
  }) => {
    const { owner } = await createTenant()
    // API tokens never carry an impersonation; it comes from the web session, so the
    // policy is exercised directly with such a context.
    const ctx = { impersonation: { staffId: 1 } } as unknown as HttpContext
    const policy = new OrganizationSettingsPolicy(ctx)
    assert.isTrue(policy.view(owner) as boolean)
    for (const decision of [policy.update(owner), policy.manageWebhookSecrets(owner)]) {
      assert.instanceOf(decision, AuthorizationResponse)
      assert.isFalse((decision as AuthorizationResponse).authorized)
    }
    const plain = new OrganizationSettingsPolicy({} as HttpContext)
    assert.isTrue(plain.update(owner) as boolean)
  })
})
