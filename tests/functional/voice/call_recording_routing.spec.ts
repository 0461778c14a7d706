import { test } from '@japa/runner'
import OrganizationSettingsService from '#services/settings/organization_settings_service'
import type Organization from '#models/organization'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeDid, makeExtension, makeRingGroup, only, voice } from './support.js'

async function recordingSetting(organization: Organization, enabled: boolean) {
  const settings = await new OrganizationSettingsService().forOrganization(organization)
  settings.recordingEnabled = enabled
  await settings.save()
}

/* Who asks the edge to record a bridged call: the organization, or the ringing extension. */
test.group('Voice routing: call recording on Dial', (group) => {
  isolate(group)

  test('an organization that records calls gets record="record-from-answer" on the extension Dial; one that does not, none', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await recordingSetting(organization, true)
    const extension = await makeExtension(organization, { number: '311' })
    const dial = only(
      (
        await voice('/api/voice/route', {
          To: await makeDid(organization, 'extension', extension.id),
        })
      ).root,
      'Dial',
    )
    assert.equal(dial.attributes.record, 'record-from-answer')

    const quiet = await createTenant()
    const other = await makeExtension(quiet.organization, { number: '311' })
    const plain = only(
      (
        await voice('/api/voice/route', {
          To: await makeDid(quiet.organization, 'extension', other.id),
        })
      ).root,
      'Dial',
    )
    assert.isUndefined(plain.attributes.record)
  })

  test('the extension overrides the organization: always records without it, never opts out of it', async ({
    assert,
  }) => {
    const ring = async (organization: Organization, id: number) =>
      only(
        (await voice('/api/voice/route', { To: await makeDid(organization, 'extension', id) }))
          .root,
        'Dial',
      )
    const quiet = await createTenant()
    const always = await makeExtension(quiet.organization, {
      number: '321',
      configuration: { record_calls: 'always' },
    })
    assert.equal(
      (await ring(quiet.organization, always.id)).attributes.record,
      'record-from-answer',
    )

    const { organization } = await createTenant()
    await recordingSetting(organization, true)
    const usual = await makeExtension(organization, { number: '322' })
    const never = await makeExtension(organization, {
      number: '323',
      configuration: { record_calls: 'never' },
    })
    assert.equal((await ring(organization, usual.id)).attributes.record, 'record-from-answer')
    assert.isUndefined((await ring(organization, never.id)).attributes.record)
  })

  test('a ring group stage records when the organization does', async ({ assert }) => {
    const { organization } = await createTenant()
    await recordingSetting(organization, true)
    const members = [await makeExtension(organization, { number: '331' })]
    const ringGroup = await makeRingGroup(organization, members, { strategy: 'sequential' })
    const dial = only(
      (
        await voice('/api/voice/route', {
          To: await makeDid(organization, 'ring_group', ringGroup.id),
        })
      ).root,
      'Dial',
    )
    assert.equal(dial.attributes.record, 'record-from-answer')
  })

  test('record_calls is validated on a user extension', async ({ assert, client }) => {
    const { organization, owner } = await createTenant()
    const extension = await makeExtension(organization, { number: '341' })
    const token = await tokenFor(owner)
    const bad = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ configuration: { record_calls: 'sometimes' } })
    bad.assertStatus(422)
    const fields = (bad.body() as { error: { details: { fields: { field: string }[] } } }).error
      .details.fields
    assert.include(
      fields.map((f) => f.field),
      'configuration.record_calls',
    )
    const good = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ configuration: { record_calls: 'always' } })
    good.assertStatus(200)
    good.assertBodyContains({ data: { configuration: { record_calls: 'always' } } })
  })
})
