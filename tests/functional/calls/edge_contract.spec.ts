import { test } from '@japa/runner'
import { pino } from 'pino'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import { createStaff } from '#tests/helpers_staff'

/*
 * The app's client against voip-edge's real ControlServer class (not a stand-in): the
 * signature, paths, bodies and status codes of both sides must agree. Loaded by path at run
 * time because the edge's sources use `.ts` import suffixes the app's compiler does not take.
 */
type TransferResult = 'transferred' | 'not-found' | 'not-answered' | 'invalid-target'
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

test.group('Live call control against the real voip-edge ControlServer', (group) => {
  isolate(group)
  let server: ControlServerLike
  const calls = new Map<string, 'ringing' | 'answered'>()
  const seen: string[] = []
  group.each.setup(async () => {
    const { ControlServer } = (await import(SERVER_MODULE)) as { ControlServer: ControlServerClass }
    calls.clear()
    seen.length = 0
    server = new ControlServer({
      signingSecret: env.get('VOIP_EDGE_SIGNING_SECRET')!.release(),
      logger: pino({ level: 'silent' }),
      handlers: {
        status: () => ({
          instanceId: 'contract',
          draining: false,
          mediaHealthy: true,
          activeCalls: [...calls.keys()],
        }),
        hangup: async (callId: string) => {
          seen.push(`hangup ${callId}`)
          return calls.delete(callId)
        },
        transfer: async (callId: string, target: string): Promise<TransferResult> => {
          seen.push(`transfer ${callId} ${target}`)
          if (!calls.has(callId)) return 'not-found'
          if (calls.get(callId) !== 'answered') return 'not-answered'
          return 'transferred'
        },
        setSipMessageLog: () => {},
        reload: async () => {
          seen.push('reload')
        },
      },
    })
    const port = await server.listen('127.0.0.1', 0)
    env.set('VOIP_EDGE_CONTROL_URL', `http://127.0.0.1:${port}`)
    return async () => {
      env.set('VOIP_EDGE_CONTROL_URL', '')
      await server.close()
    }
  })

  test('hangup, transfer and reload are accepted and answered as the app expects', async ({
    client,
    assert,
  }) => {
    const { organization, admin } = await createTenant()
    await makeExtension(organization, { number: '5001' })
    const [answered, ringing, gone] = await insertCallLogs(organization.id, 3, {
      status: 'answered',
    })
    const ids = await db
      .from('call_logs')
      .whereIn('id', [answered, ringing, gone])
      .orderBy('id')
      .select('id', 'call_id')
    calls.set(ids[0].call_id, 'answered')
    calls.set(ids[1].call_id, 'ringing')
    const token = await tokenFor(admin)
    const post = (id: number, action: string, body?: object) =>
      client
        .post(`/api/v1/calls/${id}/${action}`)
        .json(body ?? {})
        .bearerToken(token)

    const transferred = await post(answered, 'transfer', { target: '5001' })
    transferred.assertStatus(200)
    const notAnswered = await post(ringing, 'transfer', { target: '5001' })
    notAnswered.assertStatus(409)
    assert.equal(notAnswered.body().error.code, 'E_CALL_NOT_ANSWERED')
    const unknown = await post(gone, 'transfer', { target: '5001' })
    unknown.assertStatus(404)
    assert.equal(unknown.body().error.code, 'E_CALL_NOT_FOUND')
    const hungUp = await post(answered, 'hangup')
    hungUp.assertStatus(200)
    const again = await post(answered, 'hangup')
    again.assertStatus(404)
    assert.equal(again.body().error.code, 'E_CALL_NOT_FOUND')

    const staff = await createStaff()
    staff.role = 'platform_admin'
    await staff.save()
    const reload = await client
      .post('/api/v1/system/reload')
      .withGuard('staff')
      .loginAs(staff)
      .json({})
    reload.assertStatus(200)

    assert.deepEqual(seen, [
      `transfer ${ids[0].call_id} 5001`,
      `transfer ${ids[1].call_id} 5001`,
      `transfer ${ids[2].call_id} 5001`,
      `hangup ${ids[0].call_id}`,
      `hangup ${ids[0].call_id}`,
      'reload',
    ])
  })
})
