import { Head, Link, router, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { formatTime } from '~/components/call_format'
import {
  DeviceList,
  FollowMeForm,
  VoicemailBoxForm,
  type Device,
  type FollowMe,
  type VoicemailBox,
} from '~/components/portal_forms'

type Rule = { enabled: boolean; destination: string | null }
type Forwarding = {
  always: Rule
  busy: Rule
  noAnswer: Rule & { timeoutSeconds: number }
  unreachable: Rule
}

type Props = {
  extensions: { id: number; number: string; name: string }[]
  extension: {
    id: number
    number: string
    name: string
    sipUsername: string | null
    dndEnabled: boolean
    voicemailEnabled: boolean
    forwarding: Forwarding
    followMe: FollowMe
  } | null
  voicemailBox: VoicemailBox | null
  devices: Device[]
  sipDomain: string
  /** The organization's: the inbox shows times as the office keeps them. */
  timezone: string
  messages: {
    id: number
    callerNumber: string | null
    callerName: string | null
    durationSeconds: number
    receivedAt: string
    read: boolean
    audioUrl: string
  }[]
}

const CONDITIONS = [
  ['always', 'Always'],
  ['busy', 'When busy'],
  ['noAnswer', 'When not answered'],
  ['unreachable', 'When my phone is offline'],
] as const

function ForwardingForm({
  extensionId,
  forwarding,
}: {
  extensionId: number
  forwarding: Forwarding
}) {
  const form = useForm<Forwarding>(forwarding)

  function submit(event: FormEvent) {
    event.preventDefault()
    form.put(`/phone/extensions/${extensionId}/forwarding`, { preserveScroll: true })
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="forwarding-title">
      <h2 id="forwarding-title">Call forwarding</h2>
      {CONDITIONS.map(([key, label]) => {
        const rule = form.data[key]
        const error = (form.errors as Record<string, string | undefined>)[`${key}.destination`]
        return (
          <fieldset key={key} className="forward-rule">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={rule.enabled}
                onChange={(e) => form.setData(key, { ...rule, enabled: e.target.checked })}
              />
              {label}
            </label>
            <label>
              Forward to
              <input
                name={`${key}.destination`}
                aria-label={`${label}: forward to`}
                placeholder="+44 20 7946 0000 or an extension"
                value={rule.destination ?? ''}
                disabled={!rule.enabled}
                onChange={(e) => form.setData(key, { ...rule, destination: e.target.value })}
                aria-invalid={!!error}
              />
              {error && <span className="field-error">{error}</span>}
            </label>
          </fieldset>
        )
      })}
      <button type="submit" disabled={form.processing}>
        Save forwarding
      </button>
    </form>
  )
}

export default function Phone({
  extensions,
  extension,
  sipDomain,
  timezone,
  messages,
  voicemailBox,
  devices,
}: Props) {
  if (!extension) {
    return (
      <AppLayout>
        <Head title="My phone" />
        <h1>My phone</h1>
        <p className="muted">
          No extension is assigned to you yet. Ask your PBX administrator for one.
        </p>
      </AppLayout>
    )
  }

  return (
    <AppLayout>
      <Head title="My phone" />
      <h1>
        My phone: {extension.number} <span className="muted">{extension.name}</span>
      </h1>
      {extensions.length > 1 && (
        <nav className="nav" aria-label="My extensions">
          {extensions.map((e) => (
            <Link key={e.id} href={`/phone?extension=${e.id}`}>
              {e.number}
            </Link>
          ))}
        </nav>
      )}

      {extension.sipUsername && (
        <p className="muted" data-testid="sip-login">
          Phone login: user <code>{extension.sipUsername}</code>, domain <code>{sipDomain}</code>{' '}
          (the password comes from your administrator).
        </p>
      )}

      <section className="card">
        <h2>Do not disturb</h2>
        <p className="muted">
          {extension.dndEnabled
            ? 'Calls to you are not put through (they follow your forwarding or voicemail).'
            : 'Calls ring your phone normally.'}
        </p>
        <button
          type="button"
          onClick={() =>
            router.put(
              `/phone/extensions/${extension.id}/dnd`,
              { enabled: !extension.dndEnabled },
              { preserveScroll: true },
            )
          }
        >
          {extension.dndEnabled ? 'Turn do not disturb off' : 'Turn do not disturb on'}
        </button>
      </section>

      <ForwardingForm
        key={extension.id}
        extensionId={extension.id}
        forwarding={extension.forwarding}
      />

      <FollowMeForm
        key={`fm-${extension.id}`}
        extensionId={extension.id}
        followMe={extension.followMe}
      />

      <section className="card" aria-labelledby="voicemail-title">
        <h2 id="voicemail-title">Voicemail</h2>
        {!extension.voicemailEnabled && (
          <p className="muted">Voicemail is off for this extension.</p>
        )}
        {messages.length === 0 ? (
          <p className="muted">No messages.</p>
        ) : (
          <table className="grid stack" data-testid="voicemail-table">
            <thead>
              <tr>
                <th>From</th>
                <th>Received</th>
                <th>Length</th>
                <th>Listen</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id} className={m.read ? '' : 'unread'}>
                  <td data-label="From">
                    {m.callerName
                      ? `${m.callerName} (${m.callerNumber ?? 'unknown'})`
                      : (m.callerNumber ?? 'unknown')}
                  </td>
                  <td data-label="Received">{formatTime(m.receivedAt, timezone)}</td>
                  <td data-label="Length">{m.durationSeconds} s</td>
                  <td data-label="Listen">
                    <audio
                      controls
                      preload="none"
                      src={m.audioUrl}
                      aria-label={`Voicemail from ${m.callerNumber ?? 'unknown'}`}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        if (confirm('Delete this voicemail?')) {
                          router.delete(`/phone/voicemail/${m.id}`, { preserveScroll: true })
                        }
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {voicemailBox && (
        <VoicemailBoxForm
          key={`vm-${extension.id}`}
          extensionId={extension.id}
          box={voicemailBox}
        />
      )}
      <DeviceList devices={devices} />
      <p className="muted">
        <Link href="/calls">My call history</Link> ·{' '}
        <Link href="/password/change">Change my password</Link>
      </p>
    </AppLayout>
  )
}
