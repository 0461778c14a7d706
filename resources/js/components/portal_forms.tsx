import { useForm } from '@inertiajs/react'
import { useRef, type FormEvent } from 'react'
import '../../css/calls.css'

export type FollowMe = { enabled: boolean; numbers: { number: string; ringSeconds: number }[] }

export type VoicemailBox = {
  pinSet: boolean
  email: string | null
  notify: boolean
  attachAudio: boolean
  hasGreeting: boolean
}

export type Device = { contact: string; expiresAt: string; address: string | null }

type Errors = Record<string, string | undefined>

/** Ordered numbers rung one after another when a call reaches the extension. */
export function FollowMeForm({
  extensionId,
  followMe,
}: {
  extensionId: number
  followMe: FollowMe
}) {
  const form = useForm<FollowMe>(followMe)
  const errors = form.errors as Errors
  const numbers = form.data.numbers

  function submit(event: FormEvent) {
    event.preventDefault()
    form.put(`/phone/extensions/${extensionId}/follow-me`, { preserveScroll: true })
  }
  const update = (i: number, patch: Partial<FollowMe['numbers'][number]>) =>
    form.setData(
      'numbers',
      numbers.map((n, j) => (j === i ? { ...n, ...patch } : n)),
    )

  return (
    <form className="card" onSubmit={submit} aria-labelledby="follow-me-title">
      <h2 id="follow-me-title">Follow me</h2>
      <p className="muted">Also ring these numbers, in order, when your extension is called.</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.data.enabled}
          onChange={(e) => form.setData('enabled', e.target.checked)}
        />
        Follow me is on
      </label>
      {errors.numbers && <span className="field-error">{errors.numbers}</span>}
      <ol className="follow-me-list">
        {numbers.map((entry, i) => (
          <li key={i} className="row-actions">
            <label>
              Number {i + 1}
              <input
                inputMode="tel"
                value={entry.number}
                onChange={(e) => update(i, { number: e.target.value })}
                aria-invalid={!!errors[`numbers.${i}.number`]}
              />
              {errors[`numbers.${i}.number`] && (
                <span className="field-error">{errors[`numbers.${i}.number`]}</span>
              )}
            </label>
            <label>
              Ring for (s)
              <input
                type="number"
                min={5}
                max={120}
                value={entry.ringSeconds}
                onChange={(e) => update(i, { ringSeconds: Number(e.target.value) })}
                aria-invalid={!!errors[`numbers.${i}.ringSeconds`]}
              />
              {errors[`numbers.${i}.ringSeconds`] && (
                <span className="field-error">{errors[`numbers.${i}.ringSeconds`]}</span>
              )}
            </label>
            <button
              type="button"
              className="secondary"
              aria-label={`Remove number ${i + 1}`}
              onClick={() =>
                form.setData(
                  'numbers',
                  numbers.filter((_, j) => j !== i),
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="row-actions">
        {numbers.length < 10 && (
          <button
            type="button"
            className="secondary"
            onClick={() => form.setData('numbers', [...numbers, { number: '', ringSeconds: 20 }])}
          >
            Add a number
          </button>
        )}
        <button type="submit" disabled={form.processing}>
          Save follow-me
        </button>
      </div>
    </form>
  )
}

/** Voicemail PIN, email notification and the personal greeting. */
export function VoicemailBoxForm({ extensionId, box }: { extensionId: number; box: VoicemailBox }) {
  const form = useForm({
    pin: '',
    email: box.email ?? '',
    notify: box.notify,
    attachAudio: box.attachAudio,
  })
  const greeting = useForm<{ greeting: File | null }>({ greeting: null })
  const fileInput = useRef<HTMLInputElement>(null)

  function save(event: FormEvent) {
    event.preventDefault()
    form.transform((d) => ({
      ...(d.pin ? { pin: d.pin } : {}),
      email: d.email.trim() || null,
      notify: d.notify,
      attachAudio: d.attachAudio,
    }))
    form.put(`/phone/extensions/${extensionId}/voicemail-box`, {
      preserveScroll: true,
      onSuccess: () => form.setData('pin', ''),
    })
  }

  function upload(event: FormEvent) {
    event.preventDefault()
    greeting.post(`/phone/extensions/${extensionId}/voicemail-box/greeting`, {
      preserveScroll: true,
      forceFormData: true,
      onSuccess: () => {
        greeting.reset()
        if (fileInput.current) fileInput.current.value = ''
      },
    })
  }

  return (
    <section className="card" aria-labelledby="vm-settings-title">
      <h2 id="vm-settings-title">Voicemail settings</h2>
      <form onSubmit={save} className="stacked">
        <label>
          New PIN {box.pinSet ? '(a PIN is set)' : '(no PIN yet)'}
          <input
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={form.data.pin}
            onChange={(e) => form.setData('pin', e.target.value)}
            aria-invalid={!!form.errors.pin}
            placeholder="4 to 10 digits"
          />
          {form.errors.pin && <span className="field-error">{form.errors.pin}</span>}
        </label>
        <label>
          Email new messages to
          <input
            type="email"
            value={form.data.email}
            onChange={(e) => form.setData('email', e.target.value)}
            aria-invalid={!!form.errors.email}
          />
          {form.errors.email && <span className="field-error">{form.errors.email}</span>}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.data.notify}
            onChange={(e) => form.setData('notify', e.target.checked)}
          />
          Send an email for each new message
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.data.attachAudio}
            onChange={(e) => form.setData('attachAudio', e.target.checked)}
          />
          Attach the recording
        </label>
        <div>
          <button type="submit" disabled={form.processing}>
            Save voicemail settings
          </button>
        </div>
      </form>
      <form onSubmit={upload} className="row-actions" aria-label="Voicemail greeting">
        <label>
          Greeting (WAV, up to 5 MB){' '}
          {box.hasGreeting ? '· a greeting is set' : '· default greeting'}
          <input
            ref={fileInput}
            type="file"
            accept=".wav,audio/wav"
            onChange={(e) => greeting.setData('greeting', e.target.files?.[0] ?? null)}
            aria-invalid={!!greeting.errors.greeting}
          />
          {greeting.errors.greeting && (
            <span className="field-error">{greeting.errors.greeting}</span>
          )}
        </label>
        {greeting.progress && (
          <progress value={greeting.progress.percentage} max={100}>
            {greeting.progress.percentage}%
          </progress>
        )}
        <button type="submit" disabled={!greeting.data.greeting || greeting.processing}>
          Upload greeting
        </button>
      </form>
    </section>
  )
}

/** Phones registered for the extension right now. */
export function DeviceList({ devices }: { devices: Device[] }) {
  return (
    <section className="card" aria-labelledby="devices-title">
      <h2 id="devices-title">My devices</h2>
      {devices.length === 0 ? (
        <p className="muted" data-testid="no-devices">
          No phone is registered right now. Sign in to your phone or softphone with the login above.
        </p>
      ) : (
        <ul data-testid="devices">
          {devices.map((d) => (
            <li key={d.contact}>
              <code>{d.contact}</code>
              {d.address && <span className="muted"> from {d.address}</span>}
              <span className="muted"> · registered until {d.expiresAt.slice(11, 16)} UTC</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
