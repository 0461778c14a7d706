import { test } from '@japa/runner'
import { pino } from 'pino'
import env from '#start/env'
import queueService from '#services/queue/queue_service'
import MwiUpdateJob from '#jobs/mwi_update_job'
import RetentionJob from '#jobs/retention_job'
import logger from '@adonisjs/core/services/logger'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import { makeDid, voice } from '#tests/functional/voice/support'
import { pcmWav, storedRecording, waitUntil } from '#tests/functional/voicemail/support'
import { signedHeaders } from '../../../voip-edge/src/events/signer.js'

/*
 * The app's MWI pushes against voip-edge's real ControlServer (loaded by path, as in
 * tests/functional/calls/edge_contract.spec.ts): signature, path and body must agree.
 */
type MwiUpdate = { organizationId: string; aor: string; newMessages: number; oldMessages: number }
type ControlServerLike = {
  listen(host: string, port: number): Promise<number>
  close(): Promise<void>
}
type ControlServerClass = new (options: {
  signingSecret: string
  logger: unknown
  handlers: Record<string, unknown>
}) => ControlServerLike
const SERVER_MODULE = '../../../voip-edge/src/control/control_server.js'
const SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()

function edgeGet(path: string, secret = SECRET()) {
  const url = new URL(path, `http://127.0.0.1:${env.get('PORT')}`)
  return fetch(url, { headers: signedHeaders(secret, crypto.randomUUID(), 'GET', url, '') })
}

test.group('Voicemail MWI: the app tells the edge every mailbox change', (group) => {
  isolate(group)
  const updates: MwiUpdate[] = []
  group.setup(async () => {
    const { ControlServer } = (await import(SERVER_MODULE)) as { ControlServer: ControlServerClass }
    const server = new ControlServer({
      signingSecret: SECRET(),
      logger: pino({ level: 'silent' }),
      handlers: {
        status: () => ({ instanceId: 'mwi', draining: false, mediaHealthy: true, activeCalls: [] }),
        hangup: async () => false,
        transfer: async () => 'not-found',
        setSipMessageLog: () => {},
        reload: async () => {},
        mwi: async (update: MwiUpdate) => {
          updates.push(update)
          return { notified: 1, subscriptions: 1 }
        },
      },
    })
    const port = await server.listen('127.0.0.1', 0)
    env.set('VOIP_EDGE_CONTROL_URL', `http://127.0.0.1:${port}`)
    queueService.process([MwiUpdateJob], 1)
    return async () => {
      await queueService.close()
      env.set('VOIP_EDGE_CONTROL_URL', '')
      await server.close()
    }
  })
  group.each.setup(() => {
    updates.length = 0
  })

  test('a new message, reading it and deleting it each push the counts', async ({
    assert,
    client,
  }) => {
    const { organization, owner } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true })
    const aor = `${extension.sipUsername}@${organization.sipDomain}`
    const expect = async (newMessages: number, oldMessages: number) => {
      await waitUntil(() =>
        updates.some((u) => u.newMessages === newMessages && u.oldMessages === oldMessages),
      )
      const last = updates.at(-1)!
      assert.deepEqual(last, {
        organizationId: String(organization.id),
        aor,
        newMessages,
        oldMessages,
      })
    }
    await makeVoicemail(extension, { readAt: (await import('luxon')).DateTime.now() })
    const recording = await storedRecording(organization.id, pcmWav(1))
    await voice(`/api/voice/voicemail-complete?extension=${extension.id}`, {
      To: await makeDid(organization, 'voicemail', extension.id),
      From: '+15550001111',
      RecordingUrl: recording.url,
      RecordingDuration: '1',
    })
    await expect(1, 1)

    const token = await tokenFor(owner)
    const list = await client
      .get(`/api/v1/extensions/${extension.id}/voicemail-messages`)
      .qs({ read: false })
      .bearerToken(token)
    const id = list.body().data[0].id
    ;(
      await client.patch(`/api/v1/voicemail-messages/${id}`).bearerToken(token).json({ read: true })
    ).assertStatus(200)
    await expect(0, 2)
    ;(await client.delete(`/api/v1/voicemail-messages/${id}`).bearerToken(token)).assertStatus(204)
    await expect(0, 1)
  })

  test('a retention run that purges voicemails pushes the new counts', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true })
    const { DateTime } = await import('luxon')
    await makeVoicemail(extension, { receivedAt: DateTime.now().minus({ days: 400 }) })
    await makeVoicemail(extension)
    await new RetentionJob().run({ organizationId: organization.id }, logger)
    await waitUntil(() => updates.length > 0)
    assert.deepEqual(updates.at(-1), {
      organizationId: String(organization.id),
      aor: `${extension.sipUsername}@${organization.sipDomain}`,
      newMessages: 1,
      oldMessages: 0,
    })
  })

  test('GET /api/edge/organizations/:id/mailboxes/:username: counts, signed, per tenant', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extension = await makeExtension(a.organization, { voicemailEnabled: true })
    await makeVoicemail(extension)
    await makeVoicemail(extension)
    await makeVoicemail(extension, { readAt: (await import('luxon')).DateTime.now() })
    await makeVoicemail(extension, { deletedAt: (await import('luxon')).DateTime.now() })
    const path = `/api/edge/organizations/${a.organization.id}/mailboxes/${extension.sipUsername}`
    const ok = await edgeGet(path)
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), { newMessages: 2, oldMessages: 1 })
    assert.equal((await edgeGet(path, 'x'.repeat(40))).status, 401)
    // The username looked up in another organization: not found, never A's counts.
    const foreign = await edgeGet(
      `/api/edge/organizations/${b.organization.id}/mailboxes/${extension.sipUsername}`,
    )
    assert.equal(foreign.status, 404)
    assert.equal(
      (await edgeGet(`/api/edge/organizations/${a.organization.id}/mailboxes/nobody`)).status,
      404,
    )
  })
})
