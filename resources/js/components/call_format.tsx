import '../../css/calls.css'

/** "1:05", "1:02:03": call lengths as people read them. */
export function formatDuration(seconds: number | null | undefined) {
  if (seconds === null || seconds === undefined) return '—'
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

/** A timestamp in the organization's timezone (not the browser's), or a dash. */
export function formatTime(iso: string | null | undefined, timeZone: string, withDate = true) {
  if (!iso) return '—'
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    ...(withDate ? { year: 'numeric', month: 'short', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso))
}

export const STATUS_LABELS: Record<string, string> = {
  initiated: 'Initiated',
  ringing: 'Ringing',
  answered: 'In progress',
  completed: 'Completed',
  busy: 'Busy',
  no_answer: 'No answer',
  failed: 'Failed',
  canceled: 'Canceled',
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{STATUS_LABELS[status] ?? status}</span>
}
