import { Head, router, useForm, usePage } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { SettingsTabs } from '~/components/settings_tabs'
import { CopyOnce } from '~/components/copy_once'
import type { SharedProps } from '~/types'

type Token = {
  id: number
  name: string | null
  abilities: string[]
  lastUsedAt: string | null
  expiresAt: string | null
  createdAt: string
}

type Props = { tokens: Token[]; abilities: string[]; defaultDays: number; newToken: string | null }

const ABILITY_LABELS: Record<string, string> = {
  '*': 'Full access',
  read: 'Read only',
  write: 'Read and write',
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—')

export default function Tokens({ tokens, abilities, defaultDays, newToken }: Props) {
  const { can } = usePage<SharedProps>().props
  const form = useForm({ name: '', ability: '*', expiresInDays: defaultDays })

  function create(event: FormEvent) {
    event.preventDefault()
    form.transform((d) => ({
      name: d.name,
      abilities: [d.ability],
      expiresInDays: Number(d.expiresInDays),
    }))
    form.post('/settings/tokens', { onSuccess: () => form.reset('name') })
  }

  function revoke(token: Token) {
    if (!window.confirm(`Revoke the token "${token.name}"? Programs using it stop working.`)) return
    router.delete(`/settings/tokens/${token.id}`, { preserveScroll: true })
  }

  return (
    <AppLayout>
      <Head title="API tokens" />
      <SettingsTabs />
      <h1>API tokens</h1>
      <p className="muted">
        Tokens let scripts and integrations use the <a href="/api/docs">REST API</a> as you, with
        your role&apos;s permissions. Changing your password revokes them all.
      </p>
      {newToken && <CopyOnce label="New API token" value={newToken} />}
      {tokens.length === 0 ? (
        <p className="empty">You have no API tokens.</p>
      ) : (
        <div className="table-scroll">
          <table className="grid stack" data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Access</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td data-label="Name">{token.name}</td>
                  <td data-label="Access">
                    {token.abilities.map((a) => ABILITY_LABELS[a] ?? a).join(', ')}
                  </td>
                  <td data-label="Created">{day(token.createdAt)}</td>
                  <td data-label="Last used">{day(token.lastUsedAt)}</td>
                  <td data-label="Expires">{day(token.expiresAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => revoke(token)}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can['tokens.create'] ? (
        <form className="card filters" onSubmit={create} aria-label="Create a token">
          <label>
            Token name
            <input
              value={form.data.name}
              onChange={(e) => form.setData('name', e.target.value)}
              aria-invalid={!!form.errors.name}
              placeholder="e.g. CRM integration"
            />
            {form.errors.name && <span className="field-error">{form.errors.name}</span>}
          </label>
          <label>
            Access
            <select
              value={form.data.ability}
              onChange={(e) => form.setData('ability', e.target.value)}
            >
              {abilities.map((a) => (
                <option key={a} value={a}>
                  {ABILITY_LABELS[a] ?? a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Expires after (days)
            <input
              type="number"
              min={1}
              max={365}
              value={form.data.expiresInDays}
              onChange={(e) => form.setData('expiresInDays', Number(e.target.value))}
              aria-invalid={!!form.errors.expiresInDays}
            />
            {form.errors.expiresInDays && (
              <span className="field-error">{form.errors.expiresInDays}</span>
            )}
          </label>
          <div className="actions">
            <button type="submit" disabled={form.processing}>
              Create token
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">Tokens cannot be created while support staff act as you.</p>
      )}
    </AppLayout>
  )
}
