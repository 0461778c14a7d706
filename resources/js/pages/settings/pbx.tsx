import { Head, router, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { SettingsTabs } from '~/components/settings_tabs'
import { formatTime } from '~/components/call_format'
import { CopyOnce } from '~/components/copy_once'

type Secret = {
  id: number
  maskedValue: string
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  active: boolean
}

type Props = {
  settings: {
    tenantMode: 'cloudonix' | 'edge'
    cloudonix: {
      domainUuid: string | null
      domainName: string | null
      apiKeySet: boolean
      apiKeyMasked: string | null
      noAnswerTimeout: number
    }
    recording: { enabled: boolean; format: 'wav' | 'mp3' }
  }
  secrets: Secret[]
  newSecret: string | null
  defaultGraceHours: number
  canUpdate: boolean
  canManageSecrets: boolean
}

export default function PbxSettings(props: Props) {
  const { settings } = props
  const form = useForm({
    tenantMode: settings.tenantMode,
    domainName: settings.cloudonix.domainName ?? '',
    domainUuid: settings.cloudonix.domainUuid ?? '',
    apiKey: '',
    noAnswerTimeout: settings.cloudonix.noAnswerTimeout,
    recordingEnabled: settings.recording.enabled,
    recordingFormat: settings.recording.format,
  })
  const rotation = useForm({ graceHours: props.defaultGraceHours })
  const disabled = !props.canUpdate
  const err = form.errors as Record<string, string | undefined>

  function save(event: FormEvent) {
    event.preventDefault()
    form.transform((d) => ({
      tenantMode: d.tenantMode,
      cloudonix: {
        domainName: d.domainName.trim() || null,
        domainUuid: d.domainUuid.trim() || null,
        ...(d.apiKey ? { apiKey: d.apiKey } : {}),
        noAnswerTimeout: Number(d.noAnswerTimeout),
      },
      recording: { enabled: d.recordingEnabled, format: d.recordingFormat },
    }))
    form.put('/settings/pbx', { preserveScroll: true, onSuccess: () => form.setData('apiKey', '') })
  }

  function rotate(event: FormEvent) {
    event.preventDefault()
    if (
      !window.confirm(
        `Create a new webhook secret? The current one keeps working for ${rotation.data.graceHours} hour(s).`,
      )
    )
      return
    rotation.post('/settings/webhook-secrets/rotate', { preserveScroll: true })
  }

  function revoke(secret: Secret) {
    if (!window.confirm(`Revoke ${secret.maskedValue}? Webhooks signed with it fail at once.`))
      return
    router.delete(`/settings/webhook-secrets/${secret.id}`, { preserveScroll: true })
  }

  return (
    <AppLayout>
      <Head title="PBX settings" />
      <SettingsTabs />
      <h1>PBX settings</h1>
      <form className="card" onSubmit={save} aria-label="PBX settings">
        <fieldset disabled={disabled} className="plain">
          <legend>Call handling</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="tenantMode"
              value="cloudonix"
              checked={form.data.tenantMode === 'cloudonix'}
              onChange={() => form.setData('tenantMode', 'cloudonix')}
            />
            Cloudonix: calls are handled by a Cloudonix domain that calls this app&apos;s voice
            webhooks
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="tenantMode"
              value="edge"
              checked={form.data.tenantMode === 'edge'}
              onChange={() => form.setData('tenantMode', 'edge')}
            />
            Own edge: phones register to our voip-edge, which asks this app how to route
          </label>
          {err.tenantMode && <span className="field-error">{err.tenantMode}</span>}
        </fieldset>
        {form.data.tenantMode === 'cloudonix' && (
          <fieldset disabled={disabled} className="plain">
            <legend>Cloudonix domain</legend>
            <div className="filters">
              <label>
                Domain name
                <input
                  value={form.data.domainName}
                  onChange={(e) => form.setData('domainName', e.target.value)}
                  aria-invalid={!!err['cloudonix.domainName']}
                  placeholder="pbx.example.cloudonix.net"
                />
                {err['cloudonix.domainName'] && (
                  <span className="field-error">{err['cloudonix.domainName']}</span>
                )}
              </label>
              <label>
                Domain UUID
                <input
                  value={form.data.domainUuid}
                  onChange={(e) => form.setData('domainUuid', e.target.value)}
                  aria-invalid={!!err['cloudonix.domainUuid']}
                />
                {err['cloudonix.domainUuid'] && (
                  <span className="field-error">{err['cloudonix.domainUuid']}</span>
                )}
              </label>
              <label>
                API key{' '}
                {settings.cloudonix.apiKeySet && `(set: ${settings.cloudonix.apiKeyMasked})`}
                <input
                  type="password"
                  autoComplete="off"
                  value={form.data.apiKey}
                  onChange={(e) => form.setData('apiKey', e.target.value)}
                  placeholder={settings.cloudonix.apiKeySet ? 'Leave empty to keep' : ''}
                  aria-invalid={!!err['cloudonix.apiKey']}
                />
                {err['cloudonix.apiKey'] && (
                  <span className="field-error">{err['cloudonix.apiKey']}</span>
                )}
              </label>
              <label>
                No-answer timeout (seconds)
                <input
                  type="number"
                  min={5}
                  max={120}
                  value={form.data.noAnswerTimeout}
                  onChange={(e) => form.setData('noAnswerTimeout', Number(e.target.value))}
                  aria-invalid={!!err['cloudonix.noAnswerTimeout']}
                />
                {err['cloudonix.noAnswerTimeout'] && (
                  <span className="field-error">{err['cloudonix.noAnswerTimeout']}</span>
                )}
              </label>
            </div>
          </fieldset>
        )}
        <fieldset disabled={disabled} className="plain">
          <legend>Recording</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.data.recordingEnabled}
              onChange={(e) => form.setData('recordingEnabled', e.target.checked)}
            />
            Record calls
          </label>
          <label className="short">
            Format
            <select
              value={form.data.recordingFormat}
              onChange={(e) => form.setData('recordingFormat', e.target.value as 'wav' | 'mp3')}
            >
              <option value="wav">WAV</option>
              <option value="mp3">MP3</option>
            </select>
          </label>
        </fieldset>
        {props.canUpdate ? (
          <button type="submit" disabled={form.processing}>
            Save PBX settings
          </button>
        ) : (
          <p className="muted">Only the organization owner can change these settings.</p>
        )}
      </form>

      <section className="card" aria-labelledby="secrets">
        <h2 id="secrets">Webhook signing secrets</h2>
        <p className="muted">
          Cloudonix or voip-edge sign every webhook with one of these. Rotating keeps the previous
          secret valid for a grace period so the sender can switch without losing events.
        </p>
        {props.newSecret && <CopyOnce label="New webhook secret" value={props.newSecret} />}
        {props.secrets.length === 0 ? (
          <p className="empty">No secret yet: create one to receive webhooks.</p>
        ) : (
          <div className="table-scroll">
            <table className="grid" data-testid="webhook-secrets">
              <thead>
                <tr>
                  <th>Secret</th>
                  <th>Created</th>
                  <th>Valid until</th>
                  <th>State</th>
                  {props.canManageSecrets && (
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {props.secrets.map((secret) => (
                  <tr key={secret.id}>
                    <td>
                      <code>{secret.maskedValue}</code>
                    </td>
                    <td>{formatTime(secret.createdAt, 'UTC')} UTC</td>
                    <td>
                      {secret.revokedAt
                        ? 'revoked'
                        : secret.expiresAt
                          ? `${formatTime(secret.expiresAt, 'UTC')} UTC`
                          : 'no expiry'}
                    </td>
                    <td>{secret.active ? 'active' : 'inactive'}</td>
                    {props.canManageSecrets && (
                      <td>
                        {secret.active && (
                          <button
                            type="button"
                            className="danger"
                            onClick={() => revoke(secret)}
                            aria-label={`Revoke ${secret.maskedValue}`}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.canManageSecrets && (
          <form className="row-actions" onSubmit={rotate} style={{ marginTop: '1rem' }}>
            <label>
              Grace period for the current secret (hours)
              <input
                type="number"
                min={1}
                max={168}
                value={rotation.data.graceHours}
                onChange={(e) => rotation.setData('graceHours', Number(e.target.value))}
                aria-invalid={!!rotation.errors.graceHours}
              />
              {rotation.errors.graceHours && (
                <span className="field-error">{rotation.errors.graceHours}</span>
              )}
            </label>
            <button type="submit" disabled={rotation.processing}>
              Rotate secret
            </button>
          </form>
        )}
      </section>
    </AppLayout>
  )
}
