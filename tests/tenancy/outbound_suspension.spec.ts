import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { suspendOutbound } from '#services/fraud/toll_fraud_guard'

/*
 * The outbound suspension is a singleton of the caller's organization: no id to swap, so
 * the checks are that one tenant's owner neither sees nor lifts another's suspension.
 */
test.group('Tenancy: toll-fraud outbound suspension', (group) => {
  isolate(group)

  test("another organization's suspension is neither shown nor lifted", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    assert.isTrue(await suspendOutbound(a.organization.id, 'test: velocity exceeded', {}))
    const tokenB = await tokenFor(b.owner)

    const shownToB = await client.get('/api/v1/settings/outbound-suspension').bearerToken(tokenB)
    shownToB.assertStatus(200)
    assert.deepEqual(shownToB.body().data, { suspended: false, since: null, reason: null })

    const liftedByB = await client
      .delete('/api/v1/settings/outbound-suspension')
      .bearerToken(tokenB)
    liftedByB.assertStatus(200)
    const rowA = await db.from('organizations').where('id', a.organization.id).first()
    assert.isNotNull(rowA.outbound_suspended_at, "B's lift leaves A suspended")
    const liftAudits = await db
      .from('audit_logs')
      .where('action', 'organization.outbound_suspension_lifted')
    assert.lengthOf(liftAudits, 0, 'nothing was lifted, nothing audited')

    const shownToA = await client
      .get('/api/v1/settings/outbound-suspension')
      .bearerToken(await tokenFor(a.owner))
    assert.isTrue(shownToA.body().data.suspended)
    assert.equal(shownToA.body().data.reason, 'test: velocity exceeded')
  })
})
