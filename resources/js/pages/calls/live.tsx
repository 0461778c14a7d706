import { Head, router, useForm } from '@inertiajs/react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { formatDuration, formatTime, StatusBadge } from '~/components/call_format'
import type { CallRow } from './index'
import { useCallEvents } from '~/components/call_events'

type Props = {
  calls: CallRow[]
  serverNow: string
  timezone: string
  canControl: { hangup: boolean; transfer: boolean }
}

const LIVE = new Set(['initiated', 'ringing', 'answered'])

const byCallId = (calls: CallRow[]) => new Map(calls.map((c) => [c.callId, c]))

/** Calls in progress, kept current by the server's event stream. */
function useLiveCalls(initial: CallRow[]) {
  const [state, setState] = useState(() => ({ base: initial, calls: byCallId(initial) }))

  // A page reload (after hang-up, or a resync) brings a fresh list: start over from it.
  let current = state
  if (state.base !== initial) {
    current = { base: initial, calls: byCallId(initial) }
    setState(current)
  }

  const connected = useCallEvents(true, {
    // Anything that changed while disconnected is re-read once.
    onReady: () => router.reload({ only: ['calls', 'serverNow'] }),
    onEvent: (event) => {
      const call = event.call as CallRow | null
      setState((previous) => {
        const next = new Map(previous.calls)
        if (!LIVE.has(event.state) || (call && call.endedAt)) next.delete(event.callId)
        else if (call) next.set(event.callId, call)
        return { base: previous.base, calls: next }
      })
    },
  })

  return { calls: [...current.calls.values()], connected }
}

/* Ticks every second; durations use the server's clock so a skewed PC shows true figures. */
function useServerClock(serverNow: string) {
  const [offset] = useState(() => new Date(serverNow).getTime() - Date.now())
  const [now, setNow] = useState(() => Date.now() + offset)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + offset), 1000)
    return () => clearInterval(timer)
  }, [offset])
  return now
}

function TransferForm({ call, onClose }: { call: CallRow; onClose: () => void }) {
  const form = useForm({ target: '' })
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  function submit(event: FormEvent) {
    event.preventDefault()
    form.post(`/calls/live/${call.id}/transfer`, { preserveScroll: true, onSuccess: onClose })
  }
  return (
    <form className="row-actions" onSubmit={submit}>
      <label>
        Transfer to
        <input
          ref={input}
          name="target"
          inputMode="tel"
          placeholder="Extension or +E.164"
          value={form.data.target}
          onChange={(e) => form.setData('target', e.target.value)}
          aria-invalid={!!form.errors.target}
          onKeyDown={(e) => e.key === 'Escape' && onClose()}
        />
        {form.errors.target && <span className="field-error">{form.errors.target}</span>}
      </label>
      <button type="submit" disabled={form.processing}>
        Transfer
      </button>
      <button type="button" className="secondary" onClick={onClose}>
        Cancel
      </button>
    </form>
  )
}

export default function LiveCalls(props: Props) {
  const { calls, connected } = useLiveCalls(props.calls)
  const now = useServerClock(props.serverNow)
  const [transferring, setTransferring] = useState<number | null>(null)
  const sorted = [...calls].sort((a, b) => b.initiatedAt.localeCompare(a.initiatedAt))

  function hangup(call: CallRow) {
    if (!window.confirm(`Hang up the call from ${call.fromNumber} to ${call.toNumber}?`)) return
    router.post(`/calls/live/${call.id}/hangup`, {}, { preserveScroll: true })
  }

  const since = (iso: string | null) =>
    iso ? formatDuration((now - new Date(iso).getTime()) / 1000) : '—'

  return (
    <AppLayout>
      <Head title="Live calls" />
      <div className="toolbar">
        <h1>Live calls</h1>
        <span
          className={`live-indicator ${connected ? 'connected' : ''}`}
          role="status"
          data-testid="live-status"
        >
          {connected ? 'Live updates on' : 'Connecting…'}
        </span>
      </div>
      {sorted.length === 0 ? (
        <p className="empty" data-testid="live-empty">
          No calls in progress.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="grid stack" data-testid="live-calls">
            <caption className="sr-only">Calls in progress</caption>
            <thead>
              <tr>
                <th>From</th>
                <th>To</th>
                <th>Direction</th>
                <th>State</th>
                <th>Started</th>
                <th>Duration</th>
                {(props.canControl.hangup || props.canControl.transfer) && <th>Actions</th>}
              </tr>
            </thead>
            <tbody>
              {sorted.map((call) => (
                <tr key={call.callId} data-call-id={call.callId}>
                  <td data-label="From">{call.fromNumber}</td>
                  <td data-label="To">{call.toNumber}</td>
                  <td data-label="Direction">{call.direction}</td>
                  <td data-label="State">
                    <StatusBadge status={call.status} />
                  </td>
                  <td data-label="Started">
                    {formatTime(call.initiatedAt, props.timezone, false)}
                  </td>
                  <td data-label="Duration">
                    {call.answeredAt ? (
                      <span aria-label="talking for">{since(call.answeredAt)}</span>
                    ) : (
                      <span aria-label="ringing for">{since(call.initiatedAt)} ringing</span>
                    )}
                  </td>
                  {(props.canControl.hangup || props.canControl.transfer) && (
                    <td>
                      {transferring === call.id ? (
                        <TransferForm call={call} onClose={() => setTransferring(null)} />
                      ) : (
                        <div className="row-actions">
                          {props.canControl.hangup && (
                            <button
                              type="button"
                              className="danger"
                              onClick={() => hangup(call)}
                              aria-label={`Hang up the call from ${call.fromNumber}`}
                            >
                              Hang up
                            </button>
                          )}
                          {props.canControl.transfer && (
                            <button
                              type="button"
                              className="secondary"
                              onClick={() => setTransferring(call.id)}
                              aria-label={`Transfer the call from ${call.fromNumber}`}
                            >
                              Transfer…
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AppLayout>
  )
}
