/**
 * Calls whose caller (A leg, already answered) is being paired with a new B leg by a
 * transfer. rtpengine may give the caller's side new ports when the caller's offer is
 * replayed for the new leg, so the bridge re-INVITEs the caller with the new SDP.
 */
import type { CallSession } from './call_session.ts'

const stale = new WeakSet<CallSession>()

export function markCallerMediaStale(session: CallSession): void {
  stale.add(session)
}

/** True once per mark: the bridge that consumes it re-INVITEs the caller. */
export function takeCallerMediaStale(session: CallSession): boolean {
  return stale.delete(session)
}
