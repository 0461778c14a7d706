import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { freeUdpPort } from '../support/processes.ts'
import { runSipp } from '../support/sipp.ts'
import { udpBound } from '../support/udp_ready.ts'
import { signEdgeRequest } from '../../src/events/signer.ts'
import { InMemoryPlanStore } from '../../src/trunks/plan_store.ts'
import type { OutboundTrunk } from '../../src/trunks/outbound_plan.ts'
import type { TrunkRegistrationState } from '../../src/trunks/trunk_registrations.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'

async function status(port: number): Promise<{ trunkRegistrations: TrunkRegistrationState[] }> {
  const path = '/v1/status'
  const requestId = randomUUID()
  const timestamp = Math.floor(Date.now() / 1000)
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: {
      'x-edge-request-id': requestId,
      'x-edge-timestamp': String(timestamp),
      'x-edge-signature': `v1=${signEdgeRequest(SECRET, timestamp, requestId, 'GET', path, '')}`,
    },
  })
  return (await response.json()) as { trunkRegistrations: TrunkRegistrationState[] }
}

const registrationTrunk = (port: number, password: string): OutboundTrunk => ({
  id: 't-reg',
  name: 'registering carrier',
  kind: 'register',
  host: '127.0.0.1',
  port,
  transport: 'udp',
  username: 'trunkuser',
  password,
  maxChannels: null,
  callerIdNumber: null,
  passCallerId: true,
  registerExpiry: 120,
})

test.group('trunk registration (our UAC registers with the carrier; sipp registrar)', (group) => {
  let running: RunningEdge | null = null
  group.each.setup(() => async () => {
    await running?.close()
    running = null
  })

  test('registers with digest, refreshes before the granted expiry, and reports it in /v1/status', async ({
    assert,
  }) => {
    const carrierPort = await freeUdpPort()
    const registrar = runSipp({
      scenario: 'uas_trunk_registrar_expect_200.xml',
      port: 0,
      localPort: carrierPort,
      timeoutMs: 20_000,
    })
    await udpBound(carrierPort)
    running = await startEdge({
      env: { VOIP_EDGE_CONTROL_PORT: '0', VOIP_EDGE_SIP_TRANSPORTS: 'udp' },
      plans: new InMemoryPlanStore({
        'org-acme': {
          routes: [],
          rules: [],
          trunks: [registrationTrunk(carrierPort, 'trunk-secret-9')],
        },
      }),
    })
    const run = await registrar
    assert.equal(run.code, 0, `sipp registrar failed:\n${run.output}`)
    const [state] = (await status(running.edge.controlPort()!)).trunkRegistrations
    assert.include(state, {
      trunkId: 't-reg',
      organizationId: 'org-acme',
      state: 'registered',
      lastStatus: 200,
    })
    assert.isAtLeast(state.registrations, 2, 'refreshed at least once')
  }).timeout(40_000)

  test('wrong credentials: the carrier refuses (403), the state says failed', async ({
    assert,
  }) => {
    const carrierPort = await freeUdpPort()
    const registrar = runSipp({
      scenario: 'uas_trunk_registrar_expect_200.xml',
      port: 0,
      localPort: carrierPort,
      timeoutMs: 10_000,
    })
    await udpBound(carrierPort)
    running = await startEdge({
      env: { VOIP_EDGE_CONTROL_PORT: '0', VOIP_EDGE_SIP_TRANSPORTS: 'udp' },
      plans: new InMemoryPlanStore({
        'org-acme': { routes: [], rules: [], trunks: [registrationTrunk(carrierPort, 'wrong')] },
      }),
    })
    const run = await registrar
    assert.notEqual(run.code, 0, 'the sipp registrar saw bad credentials')
    const [state] = (await status(running.edge.controlPort()!)).trunkRegistrations
    assert.include(state, { state: 'failed', lastStatus: 403 })
  }).timeout(40_000)
})
