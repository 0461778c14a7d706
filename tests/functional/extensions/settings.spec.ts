import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

test.group('Extension call settings (DND, forwarding, follow-me)', (group) => {
  isolate(group)

  test('DND is switched on and off idempotently, audited once per change', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(admin)
    const url = `/api/v1/extensions/${extension.id}/dnd`
    for (const attempt of ['first', 'repeated']) {
      const on = await client.put(url).bearerToken(token)
      on.assertStatus(200)
      assert.isTrue(on.body().data.dndEnabled, attempt)
    }
    for (const attempt of ['first', 'repeated']) {
      const off = await client.delete(url).bearerToken(token)
      off.assertStatus(200)
      assert.isFalse(off.body().data.dndEnabled, attempt)
    }
    const audits = await AuditLog.query()
      .where('action', 'extension.dnd_updated')
      .where('subject_id', String(extension.id))
    assert.lengthOf(audits, 2)
  })

  test('stores forwarding rules; conditions left out are switched off', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    await makeExtension(organization, { number: '555' })
    const token = await tokenFor(owner)
    const response = await client
      .put(`/api/v1/extensions/${extension.id}/forwarding`)
      .bearerToken(token)
      .json({
        busy: { enabled: true, destination: '555' },
        noAnswer: { enabled: true, destination: 'sip:cell@example.com', timeoutSeconds: 30 },
        unreachable: { enabled: false },
      })
    response.assertStatus(200)
    assert.deepEqual(response.body().data.forwarding, {
      always: { enabled: false, destination: null },
      busy: { enabled: true, destination: '555' },
      noAnswer: { enabled: true, destination: 'sip:cell@example.com', timeoutSeconds: 30 },
      unreachable: { enabled: false, destination: null },
    })
    const shown = await client.get(`/api/v1/extensions/${extension.id}`).bearerToken(token)
    assert.deepEqual(shown.body().data.forwarding.noAnswer.timeoutSeconds, 30)
  })

  test('refuses invalid forwarding rules with field errors', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const cases: [Record<string, unknown>, string][] = [
      [{ always: { enabled: true } }, 'always.destination'],
      [{ busy: { enabled: true, destination: '4242' } }, 'busy.destination'],
      [{ busy: { enabled: true, destination: 'not a number' } }, 'busy.destination'],
      [
        { noAnswer: { enabled: true, destination: '+15550100', timeoutSeconds: 4 } },
        'noAnswer.timeoutSeconds',
      ],
      [
        { noAnswer: { enabled: true, destination: '+15550100', timeoutSeconds: 121 } },
        'noAnswer.timeoutSeconds',
      ],
      [{ unreachable: { destination: '+15550100' } }, 'unreachable.enabled'],
    ]
    for (const [body, field] of cases) {
      const response = await client
        .put(`/api/v1/extensions/${extension.id}/forwarding`)
        .bearerToken(token)
        .json(body)
      response.assertStatus(422)
      assert.include(fieldsOf(response.body()), field, JSON.stringify(body))
    }
  })

  test('stores the follow-me list in order', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    await makeExtension(organization, { number: '556' })
    const numbers = [
      { number: '+15550199', ringSeconds: 15 },
      { number: '556', ringSeconds: 30 },
      { number: '+442071234567', ringSeconds: 120 },
    ]
    const response = await client
      .put(`/api/v1/extensions/${extension.id}/follow-me`)
      .bearerToken(await tokenFor(owner))
      .json({ enabled: true, numbers })
    response.assertStatus(200)
    assert.deepEqual(response.body().data.followMe, { enabled: true, numbers })
    await extension.refresh()
    assert.deepEqual(extension.followMe.numbers, numbers)
  })

  test('refuses invalid follow-me lists with field errors', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const token = await tokenFor(owner)
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      number: `+1555010${String(i).padStart(2, '0')}`,
      ringSeconds: 20,
    }))
    const cases: [Record<string, unknown>, string][] = [
      [{ enabled: true, numbers: eleven }, 'numbers'],
      [{ enabled: true, numbers: [] }, 'numbers'],
      [
        { enabled: true, numbers: [{ number: '+15550100', ringSeconds: 4 }] },
        'numbers.0.ringSeconds',
      ],
      [{ enabled: true, numbers: [{ number: 'nope', ringSeconds: 20 }] }, 'numbers.0.number'],
      [{ numbers: [] }, 'enabled'],
    ]
    for (const [body, field] of cases) {
      const response = await client
        .put(`/api/v1/extensions/${extension.id}/follow-me`)
        .bearerToken(token)
        .json(body)
      response.assertStatus(422)
      assert.include(fieldsOf(response.body()), field, JSON.stringify(body))
    }
  })
})
