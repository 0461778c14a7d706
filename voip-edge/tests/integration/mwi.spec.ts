import { test } from '@japa/runner'
import { createServer, type Server } from 'node:http'
import { randomUUID } from 'node:crypto'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { MwiUac, body } from '../support/mwi_uac.ts'
import { signEdgeRequest } from '../../src/events/signer.ts'
import { getHeader } from '../../src/sip/message.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'
const REALM = 'acme.pbx.test'

async function control(port: number, path: string, payload: unknown) {
  const text = JSON.stringify(payload)
  const requestId = randomUUID()
  const timestamp = Math.floor(Date.now() / 1000)
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-edge-request-id': requestId,
      'x-edge-timestamp': String(timestamp),
      'x-edge-signature': `v1=${signEdgeRequest(SECRET, timestamp, requestId, 'POST', path, text)}`,
    },
    body: text,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

/**
 * The app's mailbox-count endpoint as the edge calls it: signed GETs only, answered from a
 * table the tests set.
 */
function countsServer(counts: Map<string, { newMessages: number; oldMessages: number }>) {
  const seen: string[] = []
  const server = createServer((request, response) => {
    const url = request.url ?? ''
    const signature = String(request.headers['x-edge-signature'] ?? '').replace(/^v1=/, '')
    const expected = signEdgeRequest(
      SECRET,
      Number(request.headers['x-edge-timestamp']),
      String(request.headers['x-edge-request-id']),
      'GET',
      url,
      '',
    )
    seen.push(url)
    if (signature !== expected) {
      response.writeHead(401).end('{}')
      return
    }
    const match = /^\/api\/edge\/organizations\/([^/]+)\/mailboxes\/([^/]+)$/.exec(url)
    const found = match && counts.get(`${match[1]}/${match[2]}`)
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
    response.end(JSON.stringify(found ?? { error: 'not found' }))
  })
  return { server, seen }
}

test.group('MWI (SUBSCRIBE message-summary, NOTIFY on change)', (group) => {
  let running: RunningEdge
  let app: Server
  let appSeen: string[]
  const counts = new Map<string, { newMessages: number; oldMessages: number }>()
  const uacs: Array<{ close(): void }> = []

  group.each.setup(async () => {
    counts.clear()
    const made = countsServer(counts)
    app = made.server
    appSeen = made.seen
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', () => resolve()))
    const appPort = (app.address() as { port: number }).port
    running = await startEdge({
      env: {
        VOIP_EDGE_APP_BASE_URL: `http://127.0.0.1:${appPort}`,
        VOIP_EDGE_CONTROL_PORT: '0',
        VOIP_EDGE_MWI_UNSOLICITED: 'true',
      },
    })
    return async () => {
      for (const uac of uacs.splice(0)) uac.close()
      await running.close()
      await new Promise<void>((resolve) => app.close(() => resolve()))
    }
  })

  const open = async () => {
    const uac = await MwiUac.open(running.udpPort)
    uacs.push(uac)
    return uac
  }

  test('SUBSCRIBE is challenged, then 200 and a NOTIFY with the counts from the app', async ({
    assert,
  }) => {
    counts.set('org-acme/alice', { newMessages: 2, oldMessages: 1 })
    const phone = await open()
    const { challenge, final } = await phone.authenticatedSubscribe({
      user: 'alice',
      realm: REALM,
      password: 'alice-secret-1',
    })
    assert.equal(challenge.status, 401)
    assert.equal(final.status, 200)
    assert.equal(getHeader(final, 'expires'), '600')
    assert.isNotNull(phone.toTag)
    assert.match(getHeader(final, 'contact') ?? '', /^<sip:edge@/)

    const notify = await phone.waitForNotify(0)
    assert.equal(getHeader(notify, 'event'), 'message-summary')
    assert.equal(getHeader(notify, 'content-type'), 'application/simple-message-summary')
    assert.match(getHeader(notify, 'subscription-state') ?? '', /^active;expires=(59\d|600)$/)
    assert.equal(getHeader(notify, 'call-id'), phone.callId)
    assert.include(getHeader(notify, 'from') ?? '', `tag=${phone.toTag}`)
    assert.include(getHeader(notify, 'to') ?? '', `tag=${phone.fromTag}`)
    assert.equal(notify.uri, `sip:alice@127.0.0.1:${phone.port}`)
    assert.include(body(notify), 'Messages-Waiting: yes\r\n')
    assert.include(body(notify), 'Message-Account: sip:alice@acme.pbx.test\r\n')
    assert.include(body(notify), 'Voice-Message: 2/1 (0/0)\r\n')
    assert.deepEqual(appSeen, ['/api/edge/organizations/org-acme/mailboxes/alice'])
  })

  test('a change reported by the app (POST /v1/mwi) is NOTIFYed, also after an edge restart', async ({
    assert,
  }) => {
    const phone = await open()
    const { final } = await phone.authenticatedSubscribe({
      user: 'alice',
      realm: REALM,
      password: 'alice-secret-1',
    })
    assert.equal(final.status, 200)
    // The app knows no such mailbox (404): the lamp starts off.
    assert.include(body(await phone.waitForNotify(0)), 'Messages-Waiting: no')

    const update = { organizationId: 'org-acme', aor: `alice@${REALM}` }
    const sent = await control(running.edge.controlPort()!, '/v1/mwi', {
      ...update,
      newMessages: 1,
      oldMessages: 0,
    })
    assert.equal(sent.status, 200)
    assert.deepEqual(sent.json, { notified: 1, subscriptions: 1 })
    const lit = await phone.waitForNotify(1)
    assert.include(body(lit), 'Messages-Waiting: yes\r\n')
    assert.include(body(lit), 'Voice-Message: 1/0 (0/0)')
    const cseq = (n: typeof lit) => Number((getHeader(n, 'cseq') ?? '').split(' ')[0])
    assert.isAbove(cseq(lit), cseq(phone.notifies[0]))

    // Subscriptions live in Redis: a restarted edge still notifies the phone.
    await running.restart()
    const after = await control(running.edge.controlPort()!, '/v1/mwi', {
      ...update,
      newMessages: 0,
      oldMessages: 1,
    })
    assert.deepEqual(after.json, { notified: 1, subscriptions: 1 })
    const off = await phone.waitForNotify(2)
    assert.include(body(off), 'Messages-Waiting: no\r\n')
    assert.include(body(off), 'Voice-Message: 0/1 (0/0)')
    assert.isAbove(cseq(off), cseq(lit))

    // The last counts are cached: a new subscriber gets them without asking the app.
    const second = await open()
    await second.authenticatedSubscribe({ user: 'alice', realm: REALM, password: 'alice-secret-1' })
    assert.include(body(await second.waitForNotify(0)), 'Voice-Message: 0/1 (0/0)')
    assert.lengthOf(appSeen, 1)
  })

  test('refresh within the dialog, unsubscribe, and unknown subscriptions', async ({ assert }) => {
    const phone = await open()
    await phone.authenticatedSubscribe({ user: 'alice', realm: REALM, password: 'alice-secret-1' })
    await phone.waitForNotify(0)
    const refreshed = await phone.authenticatedSubscribe({
      user: 'alice',
      realm: REALM,
      password: 'alice-secret-1',
      expires: 1200,
    })
    assert.equal(refreshed.final.status, 200)
    assert.equal(getHeader(refreshed.final, 'expires'), '1200')
    assert.match(
      getHeader(await phone.waitForNotify(1), 'subscription-state') ?? '',
      /^active;expires=1(19\d|200)$/,
    )

    const ended = await phone.authenticatedSubscribe({
      user: 'alice',
      realm: REALM,
      password: 'alice-secret-1',
      expires: 0,
    })
    assert.equal(ended.final.status, 200)
    assert.match(getHeader(await phone.waitForNotify(2), 'subscription-state') ?? '', /^terminated/)
    const none = await control(running.edge.controlPort()!, '/v1/mwi', {
      organizationId: 'org-acme',
      aor: `alice@${REALM}`,
      newMessages: 4,
      oldMessages: 0,
    })
    assert.deepEqual(none.json, { notified: 0, subscriptions: 0 })

    const stranger = await open()
    stranger.toTag = 'not-a-dialog'
    const unknown = await stranger.authenticatedSubscribe({
      user: 'alice',
      realm: REALM,
      password: 'alice-secret-1',
    })
    assert.equal(unknown.final.status, 481)
  })

  test('refusals: another user’s mailbox 403, wrong event 489, unknown realm 404, bad control body 422', async ({
    assert,
  }) => {
    const phone = await open()
    const other = await phone.authenticatedSubscribe({
      user: 'bob',
      realm: REALM,
      authUser: 'alice',
      password: 'alice-secret-1',
    })
    assert.equal(other.final.status, 403)
    const presence = await (
      await open()
    ).subscribe({ user: 'alice', realm: REALM, event: 'presence' })
    assert.equal(presence.status, 489)
    assert.equal(getHeader(presence, 'allow-events'), 'message-summary')
    const unknown = await (await open()).subscribe({ user: 'alice', realm: 'nowhere.pbx.test' })
    assert.equal(unknown.status, 404)
    const brief = await (
      await open()
    ).authenticatedSubscribe({
      user: 'alice',
      realm: REALM,
      password: 'alice-secret-1',
      expires: 10,
    })
    assert.equal(brief.final.status, 423)

    const port = running.edge.controlPort()!
    for (const [payload, field] of [
      [{ aor: `alice@${REALM}`, newMessages: 1, oldMessages: 0 }, 'organizationId'],
      [{ organizationId: 'org-acme', aor: 'alice', newMessages: 1, oldMessages: 0 }, 'aor'],
      [
        { organizationId: 'org-acme', aor: `alice@${REALM}`, newMessages: -1, oldMessages: 0 },
        'newMessages',
      ],
      [
        { organizationId: 'org-acme', aor: `alice@${REALM}`, newMessages: 1, oldMessages: '2' },
        'oldMessages',
      ],
    ] as const) {
      const refused = await control(port, '/v1/mwi', payload)
      assert.equal(refused.status, 422)
      assert.equal(refused.json.field, field)
    }
  })

  test('VOIP_EDGE_MWI_UNSOLICITED: a registered phone that never subscribed is NOTIFYed', async ({
    assert,
  }) => {
    const phone = await open()
    const registered = await phone.authenticatedSubscribe({
      method: 'REGISTER',
      user: 'bob',
      realm: REALM,
      password: 'bob-secret-2',
    })
    assert.equal(registered.final.status, 200)
    const sent = await control(running.edge.controlPort()!, '/v1/mwi', {
      organizationId: 'org-acme',
      aor: `bob@${REALM}`,
      newMessages: 3,
      oldMessages: 2,
    })
    assert.deepEqual(sent.json, { notified: 1, subscriptions: 0 })
    const notify = await phone.waitForNotify(0)
    assert.equal(notify.uri, `sip:bob@127.0.0.1:${phone.port}`)
    assert.equal(getHeader(notify, 'event'), 'message-summary')
    assert.include(body(notify), 'Message-Account: sip:bob@acme.pbx.test')
    assert.include(body(notify), 'Voice-Message: 3/2 (0/0)')
    // Another tenant's update for the same user name reaches nobody here.
    const foreign = await control(running.edge.controlPort()!, '/v1/mwi', {
      organizationId: 'org-globex',
      aor: `bob@${REALM}`,
      newMessages: 9,
      oldMessages: 0,
    })
    assert.deepEqual(foreign.json, { notified: 0, subscriptions: 0 })
  })
})
