import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createSocket } from 'node:dgram'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import env from '#start/env'
import DemoSeeder from '#database/seeders/demo_seeder'
import Extension from '#models/extension'
import Organization from '#models/organization'
import PhoneNumber from '#models/phone_number'
import storage from '#services/storage/storage'
import { wavDurationMs } from '../../../voip-edge/src/media/audio.js'

async function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/*
 * Runs one sipp scenario of voip-edge/scenarios (as a phone would) and resolves with its
 * exit code: 0 means the scenario's expected answers all came.
 */
async function sipp(
  scenario: string,
  options: {
    target?: number
    localPort: number
    mediaPort?: number
    users?: string
    rtpEcho?: boolean
  },
) {
  const dir = await mkdtemp(join(tmpdir(), 'opbx-sipp-'))
  await symlink('/usr/share/sip-tester', join(dir, 'pcap'))
  const args = ['-sf', app.makePath('voip-edge/scenarios', scenario)]
  if (options.target) args.push(`127.0.0.1:${options.target}`)
  args.push('-i', '127.0.0.1', '-p', String(options.localPort), '-m', '1', '-t', 'u1', '-nostdin')
  args.push('-timeout', '20s', '-timeout_error', '-mi', '127.0.0.1')
  args.push('-mp', String(options.mediaPort ?? (await freePort())))
  if (options.rtpEcho) args.push('-rtp_echo')
  if (options.users) {
    await writeFile(join(dir, 'users.csv'), `SEQUENTIAL\n${options.users}\n`)
    args.push('-inf', join(dir, 'users.csv'))
  }
  const code = await new Promise<number | null>((resolve) => {
    spawn('/usr/bin/sipp', args, { cwd: dir, stdio: 'ignore' }).once('exit', (c) => resolve(c))
  })
  await rm(dir, { recursive: true, force: true })
  return code
}

const account = (user: string, password: string, extra = '') =>
  `${user};[authentication username=${user} password=${password}];acme.pbx.localhost${extra}`

async function eventually<T>(
  read: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T | undefined> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = await read()
    if (value) return value
    await new Promise((r) => setTimeout(r, 250))
  }
  return undefined
}

/*
 * The product as `npm start` runs it after setup (bin/run_all.sh: asset build, rtpengine,
 * voip-edge, web and worker in production mode), on spare ports so it does not collide
 * with a running copy, against the test database seeded with the demo data.
 */
test.group('npm start (bin/run_all.sh)', () => {
  test('serves the app, registers phones, carries a call, an IVR choice and a voicemail through voip-edge, stops on SIGTERM', async ({
    assert,
    cleanup,
  }) => {
    await new DemoSeeder(db.connection()).run()
    // An IVR menu on a DID of the demo tenant: 1 → extension 1002.
    const acme = await Organization.findByOrFail('sip_domain', 'acme.pbx.localhost')
    const ext1002 = await Extension.query()
      .withScopes((scopes) => scopes.forOrganization(acme))
      .where('number', '1002')
      .firstOrFail()
    const [menu] = await db
      .table('ivr_menus')
      .insert({
        organization_id: acme.id,
        name: 'Smoke menu',
        prompt_tts_text: 'Welcome to Acme. For sales, press one. For support, press two.',
        max_retries: 1,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
    await db.table('ivr_menu_options').insert({
      organization_id: acme.id,
      ivr_menu_id: menu.id,
      digit: '1',
      target_type: 'extension',
      target_id: ext1002.id,
      position: 1,
      created_at: new Date(),
      updated_at: new Date(),
    })
    const did = await PhoneNumber.create({
      organizationId: acme.id,
      number: '+4940555000111',
      friendlyName: null,
      status: 'active',
      trunkId: null,
      routingType: 'ivr_menu',
      routingTargetId: menu.id,
    })
    cleanup(async () => {
      await did.delete()
      await db.from('ivr_menus').where('id', menu.id).delete()
    })
    const [port, sipPort, controlPort, ngPort, dtmfPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ])
    const media = await mkdtemp(join(tmpdir(), 'opbx-media-'))
    cleanup(() => rm(media, { recursive: true, force: true }))
    const output: string[] = []
    const child = spawn('bash', ['bin/run_all.sh'], {
      cwd: app.makePath(),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DB_DATABASE: env.get('DB_DATABASE'),
        REDIS_DB: String(env.get('REDIS_DB', 0)),
        PORT: String(port),
        LOG_LEVEL: 'warn',
        VOIP_EDGE_SIP_PORT: String(sipPort),
        VOIP_EDGE_CONTROL_PORT: String(controlPort),
        RTPENGINE_NG_PORT: String(ngPort),
        RTP_PORT_MIN: '41000',
        RTP_PORT_MAX: '41099',
        VOIP_EDGE_DTMF_LISTEN: `127.0.0.1:${dtmfPort}`,
        VOIP_EDGE_RECORDING_DIR: join(media, 'recordings'),
        VOIP_EDGE_MEDIA_CACHE_DIR: join(media, 'cache'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    child.stdout!.on('data', (d) => output.push(String(d)))
    child.stderr!.on('data', (d) => output.push(String(d)))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    )
    cleanup(() => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL')
    })

    const base = `http://127.0.0.1:${port}`
    const deadline = Date.now() + 90_000
    let health: Response | undefined
    while (Date.now() < deadline && !output.join('').includes('OPBX is running')) {
      if (child.exitCode !== null) break
      await new Promise((r) => setTimeout(r, 250))
    }
    try {
      health = await fetch(`${base}/health`)
    } catch (error) {
      assert.fail(`no answer on ${base}: ${error}\n${output.join('')}`)
    }
    assert.equal(health!.status, 200, output.join(''))
    const components = ((await health!.json()) as { components: { name: string; ok: boolean }[] })
      .components
    assert.deepInclude(
      components.map((c) => ({ name: c.name, ok: c.ok })),
      { name: 'voip-edge', ok: true },
    )
    const login = await fetch(`${base}/login`)
    assert.equal(login.status, 200)
    const html = await login.text()
    assert.include(html, '"component":"auth\\/login"')
    assert.match(html, /<script type="module" src="\/assets\/app-[\w-]+\.js">/)
    assert.include(output.join(''), 'owner@acme.test')

    // Phones register: the edge looks the credentials up in the app over signed HTTP.
    assert.equal(
      await sipp('uac_register_digest_expect_200.xml', {
        target: sipPort,
        localPort: await freePort(),
        users: account('1001', 'demo-1001-change-me'),
      }),
      0,
    )
    assert.notEqual(
      await sipp('uac_register_digest_expect_200.xml', {
        target: sipPort,
        localPort: await freePort(),
        users: account('1001', 'wrong-password-1'),
      }),
      0,
    )

    // 1001 calls 1002: the edge asks the app for CXML, bridges through rtpengine, and
    // reports the call back (session updates and one CDR).
    const phone1002 = await freePort()
    assert.equal(
      await sipp('uac_register_digest_expect_200.xml', {
        target: sipPort,
        localPort: phone1002,
        users: account('1002', 'demo-1002-change-me'),
      }),
      0,
    )
    const callee = sipp('uas_answer_expect_200.xml', { localPort: phone1002, rtpEcho: true })
    await new Promise((r) => setTimeout(r, 500))
    const caller = await sipp('uac_call_expect_200.xml', {
      target: sipPort,
      localPort: await freePort(),
      users: account('1001', 'demo-1001-change-me', ';1002'),
    })
    assert.equal(caller, 0, 'the caller got 200 and hung up normally')
    assert.equal(await callee, 0, 'the callee was rung and answered')
    const log = await eventually(() =>
      db
        .from('call_logs')
        .where({ from_number: '1001', to_number: '1002', status: 'completed' })
        .first(),
    )
    assert.exists(log, 'the call is recorded as completed from the session updates')
    const cdr = await eventually(() =>
      db.from('call_detail_records').where('session_token', log!.call_id).first(),
    )
    assert.equal(cdr?.disposition, 'CONNECTED')

    // 1001 dials the IVR's DID: the edge answers, plays the menu's prompt (counted at the
    // caller's RTP port), hears RFC 2833 digit 1, the app's ivr-input dials 1002, who answers.
    const rtp = createSocket('udp4')
    let promptPackets = 0
    rtp.on('message', () => promptPackets++)
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', () => resolve()))
    cleanup(() => void rtp.close())
    const answering = sipp('uas_answer_expect_200.xml', { localPort: phone1002, rtpEcho: true })
    await new Promise((r) => setTimeout(r, 500))
    const menuCaller = await sipp('uac_ivr_dtmf_expect_200.xml', {
      target: sipPort,
      localPort: await freePort(),
      users: account('1001', 'demo-1001-change-me', `;${did.number};${rtp.address().port}`),
    })
    assert.equal(menuCaller, 0, 'the IVR caller was answered, transferred and hung up normally')
    assert.equal(await answering, 0, 'the menu choice rang 1002, who answered')
    assert.isAbove(
      promptPackets,
      50,
      `the menu prompt reached the caller (${promptPackets} RTP packets)`,
    )

    // 1002 is busy now: the app's Dial action offers voicemail; the edge plays the greeting,
    // records what the caller says (sipp's 7.08 s g711a.pcap), uploads the WAV to the app and
    // posts RecordingUrl, and the app keeps it as 1002's message.
    const busy = sipp('uas_busy_expect_486.xml', { localPort: phone1002 })
    await new Promise((r) => setTimeout(r, 500))
    const messenger = await sipp('uac_voicemail_expect_200.xml', {
      target: sipPort,
      localPort: await freePort(),
      users: account('1001', 'demo-1001-change-me', ';1002'),
    })
    assert.equal(messenger, 0, 'the caller reached voicemail, spoke and hung up')
    assert.equal(await busy, 0, 'the callee answered busy')
    const message = await eventually(() =>
      db.from('voicemail_messages').where('caller_number', '1001').first(),
    )
    assert.exists(message, 'the voicemail message is stored')
    const chunks: Buffer[] = []
    for await (const chunk of storage.read(message!.audio_key)) chunks.push(chunk as Buffer)
    const seconds = wavDurationMs(Buffer.concat(chunks))! / 1000
    assert.closeTo(seconds, 7.08, 1, `the message holds the caller's ${seconds} s of audio`)
    assert.closeTo(message!.duration_seconds, 7, 1)

    process.kill(-child.pid!, 'SIGTERM')
    const code = await exited
    assert.oneOf(code, [0, 143])
  }).timeout(150_000)
})
