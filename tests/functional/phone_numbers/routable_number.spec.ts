import { test } from '@japa/runner'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makePhoneNumber, makeTrunk } from '#tests/functional/phone_numbers/support'
import { findRoutableNumber } from '#services/phone_numbers/routable_number'

test.group('findRoutableNumber: the called number names the tenant', (group) => {
  isolate(group)

  test('resolves an active number to its organization and routing', async ({ assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extension = await makeExtension(b.organization)
    const trunk = await makeTrunk(b.organization)
    await makePhoneNumber(a.organization, { number: '+4930100100' })
    const row = await makePhoneNumber(b.organization, {
      number: '+4930200200',
      trunkId: trunk,
      routingType: 'extension',
      routingTargetId: extension.id,
    })
    assert.deepEqual(await findRoutableNumber('+49 30 200-200'), {
      organizationId: b.organization.id,
      phoneNumberId: row.id,
      number: '+4930200200',
      trunkId: trunk,
      routing: { type: 'extension', id: extension.id },
    })
    assert.equal((await findRoutableNumber('+4930100100'))?.organizationId, a.organization.id)
  })

  test('inactive, deleted and unknown numbers are not routable', async ({ assert }) => {
    const { organization } = await createTenant()
    await makePhoneNumber(organization, { number: '+4930300300', status: 'inactive' })
    const gone = await makePhoneNumber(organization, { number: '+4930400400' })
    await gone.merge({ deletedAt: gone.createdAt }).save()
    assert.isNull(await findRoutableNumber('+4930300300'))
    assert.isNull(await findRoutableNumber('+4930400400'))
    assert.isNull(await findRoutableNumber('+4930500500'))
  })
})
