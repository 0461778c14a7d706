import { Head, Link } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { formatDuration, formatTime, StatusBadge } from '~/components/call_format'
import type { CallRow } from './index'

type Cdr = {
  id: number
  sessionTimestamp: string
  disposition: string
  duration: number
  billsec: number
  callStartTime: string | null
  callAnswerTime: string | null
  callEndTime: string | null
  from: string
  to: string
}

type TimelineEvent = { at: string; label: string; detail?: string }

/** One stored event (session update, CDR, compatibility webhook), as GET …/timeline has it. */
type StoredEvent = {
  id: number
  source: 'session-update' | 'cdr' | 'compat'
  status: string | null
  state: string | null
  previousState: string
  applied: boolean
  ignoredReason: string | null
  occurredAt: string
  details: Record<string, unknown>
}

const SOURCE_LABELS: Record<string, string> = {
  'session-update': 'Session update',
  cdr: 'CDR',
  compat: 'Call webhook',
}

function fromStored(events: StoredEvent[]): TimelineEvent[] {
  return events.map((e) => ({
    at: e.occurredAt,
    label: `${SOURCE_LABELS[e.source] ?? e.source}: ${e.status ?? e.state ?? '?'}`,
    detail: e.applied
      ? `${e.previousState} → ${e.state}`
      : `no change${e.ignoredReason ? ` (${e.ignoredReason})` : ''}`,
  }))
}

type Props = {
  call: CallRow & {
    billsecSeconds: number | null
    disposition: string | null
    extension: { number: string; name: string } | null
    recordingUrl: string | null
  }
  cdrs: Cdr[]
  /** Events stored for the call (older calls may have none). */
  timeline: StoredEvent[]
  timezone: string
}

/* Without stored events (calls from before they were kept), the state timestamps and CDRs tell it. */
function fallbackTimeline(call: Props['call'], cdrs: Cdr[]): TimelineEvent[] {
  const events: TimelineEvent[] = [{ at: call.initiatedAt, label: 'Call started' }]
  if (call.answeredAt) events.push({ at: call.answeredAt, label: 'Answered' })
  if (call.endedAt) events.push({ at: call.endedAt, label: 'Ended', detail: call.status })
  for (const cdr of cdrs)
    events.push({
      at: cdr.sessionTimestamp,
      label: `CDR received: ${cdr.disposition}`,
      detail: `${cdr.billsec}s billed of ${cdr.duration}s`,
    })
  return events.sort((a, b) => a.at.localeCompare(b.at))
}

export default function CallDetails({ call, cdrs, timeline, timezone }: Props) {
  const events = timeline.length > 0 ? fromStored(timeline) : fallbackTimeline(call, cdrs)
  return (
    <AppLayout>
      <Head title={`Call ${call.fromNumber} → ${call.toNumber}`} />
      <p>
        <Link href="/calls">← Call history</Link>
      </p>
      <h1>
        Call {call.fromNumber} → {call.toNumber}
      </h1>
      <div className="two-col">
        <section className="card" aria-labelledby="facts">
          <h2 id="facts">Details</h2>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={call.status} />
            </dd>
            <dt>Direction</dt>
            <dd>{call.direction}</dd>
            <dt>Extension</dt>
            <dd>{call.extension ? `${call.extension.number} ${call.extension.name}` : '—'}</dd>
            <dt>Started</dt>
            <dd>{formatTime(call.initiatedAt, timezone)}</dd>
            <dt>Answered</dt>
            <dd>{formatTime(call.answeredAt, timezone)}</dd>
            <dt>Ended</dt>
            <dd>{formatTime(call.endedAt, timezone)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(call.durationSeconds)}</dd>
            <dt>Billed</dt>
            <dd>{formatDuration(call.billsecSeconds)}</dd>
            <dt>Disposition</dt>
            <dd>{call.disposition ?? '—'}</dd>
            <dt>Call id</dt>
            <dd>
              <code>{call.callId}</code>
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="timeline">
          <h2 id="timeline">Timeline</h2>
          <ol className="timeline" data-testid="call-timeline">
            {events.map((event, i) => (
              <li key={i}>
                <time dateTime={event.at}>{formatTime(event.at, timezone)}</time>
                {event.label}
                {event.detail && <span className="muted"> · {event.detail}</span>}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <section className="card" aria-labelledby="recording">
        <h2 id="recording">Recording</h2>
        {call.recordingUrl ? (
          <audio
            controls
            preload="none"
            src={call.recordingUrl}
            aria-label={`Recording of the call from ${call.fromNumber}`}
          />
        ) : (
          <p className="muted">This call was not recorded.</p>
        )}
      </section>
    </AppLayout>
  )
}
