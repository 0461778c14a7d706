import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { ApiRequest } from '@japa/api-client'
import type Organization from '#models/organization'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makePhoneNumber, makeRingGroup } from '#tests/functional/phone_numbers/support'
import { makeSchedule } from '#tests/functional/business_hours/support'
import { makeMenu } from '#tests/functional/ivr_menus/helpers'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'

const gone = () => ({ deletedAt: DateTime.now() })

/* One live and one deleted row of every resource the admin pages write, all named "Foreign". */
async function foreignRows(organization: Organization) {
  const org = { organizationId: organization.id }
  const extension = await makeExtension(organization, { name: 'Foreign ext' })
  const extensionGone = await makeExtension(organization, { name: 'Foreign gone', ...gone() })
  const number = await makePhoneNumber(organization, { friendlyName: 'Foreign' })
  const numberGone = await makePhoneNumber(organization, { friendlyName: 'Foreign', ...gone() })
  const group = await makeRingGroup(organization, [extension.id], { name: 'Foreign group' })
  const groupGone = await makeRingGroup(organization, [], {
    name: 'Foreign gone group',
    deleted_at: new Date(),
  })
  const schedule = await makeSchedule(organization, { name: 'Foreign hours' })
  const scheduleGone = await makeSchedule(organization, { name: 'Foreign old', ...gone() })
  const menu = await makeMenu(organization, { name: 'Foreign menu' })
  const menuGone = await makeMenu(organization, { name: 'Foreign old menu', ...gone() })
  const room = await makeRoom(organization, { name: 'Foreign room' })
  const roomGone = await makeRoom(organization, { name: 'Foreign old room', ...gone() })
  const trunk = await TrunkFactory.merge({ ...org, name: 'Foreign trunk' }).create()
  const trunkGone = await TrunkFactory.merge({ ...org, name: 'Foreign old', ...gone() }).create()
  const route = await OutboundRouteFactory.merge({ ...org, name: 'Foreign route' }).create()
  const routeGone = await OutboundRouteFactory.merge({
    ...org,
    name: 'Foreign r',
    ...gone(),
  }).create()
  const prompt = await makeRecording(organization, { name: 'Foreign prompt' })
  const promptGone = await makeRecording(organization, { name: 'Foreign old', ...gone() })
  return {
    '/extensions': [extension.id, extensionGone.id],
    '/phone-numbers': [number.id, numberGone.id],
    '/ring-groups': [group, groupGone],
    '/business-hours': [schedule.id, scheduleGone.id],
    '/ivr-menus': [menu.id, menuGone.id],
    '/conference-rooms': [room.id, roomGone.id],
    '/trunks': [trunk.id, trunkGone.id],
    '/outbound-routes': [route.id, routeGone.id],
    '/prompts': [prompt.id, promptGone.id],
  } as Record<string, [number, number]>
}

test.group('Tenancy: admin console pages', (group) => {
  isolate(group)

  test("every admin page action answers 404 for another organization's rows", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const rows = await foreignRows(b.organization)
    const [extension] = rows['/extensions']
    const before = await db
      .from('audit_logs')
      .where('organization_id', b.organization.id)
      .count('* as n')

    const requests: [string, ApiRequest][] = []
    for (const [path, [live, trashed]] of Object.entries(rows)) {
      requests.push([
        `PATCH ${path}/${live}`,
        client.patch(`${path}/${live}`).json({ name: 'Hijacked' }),
      ])
      requests.push([`DELETE ${path}/${live}`, client.delete(`${path}/${live}`)])
      requests.push([`POST ${path}/${trashed}/restore`, client.post(`${path}/${trashed}/restore`)])
    }
    requests.push(['sip-password', client.post(`/extensions/${extension}/sip-password`)])
    const [schedule] = rows['/business-hours']
    requests.push(['duplicate', client.post(`/business-hours/${schedule}/duplicate`)])
    requests.push([
      'voicemail box',
      client.put(`/voicemail-boxes/${extension}`).json({ pin: '1234' }),
    ])
    requests.push(['greeting', client.post(`/voicemail-boxes/${extension}/greeting`)])

    for (const [label, request] of requests) {
      const response = await request
        .withGuard('web')
        .loginAs(a.admin)
        .withCsrfToken()
        .withInertia()
        .redirects(0)
      assert.equal(response.status(), 404, label)
      assert.notInclude(response.text(), 'Foreign', label)
    }
    const after = await db
      .from('audit_logs')
      .where('organization_id', b.organization.id)
      .count('* as n')
    assert.deepEqual(after, before)
    assert.equal((await db.from('extensions').where('id', extension).first()).name, 'Foreign ext')
  })

  test("lists never show another organization's rows, live or deleted", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const rows = await foreignRows(b.organization)
    for (const path of [...Object.keys(rows), '/voicemail-boxes']) {
      for (const trashed of [undefined, 'only']) {
        const page = await client
          .get(path)
          .qs(trashed ? { trashed } : {})
          .withGuard('web')
          .loginAs(a.admin)
          .withInertia()
        page.assertStatus(200)
        const props = page.body().props
        const list = props.rows ?? props.extensions
        assert.deepEqual(list.data, [], `${path} ${trashed ?? ''}`)
        assert.notInclude(JSON.stringify(props), 'Foreign', path)
      }
    }
  })
})
