/*
 * The call state machine: initiated → ringing → answered → completed, or to one of the
 * other terminal states (busy, no_answer, failed, canceled). Events arrive duplicated and
 * out of order (session updates have no sequence number), so the next state is a pure
 * function that only ever moves a call forward: a late `ringing` after `answered` is
 * ignored, and once terminal a call stays terminal. Applying any permutation of the same
 * events gives the same final state as applying them in order.
 */

export const CALL_STATES = [
  'initiated',
  'ringing',
  'answered',
  'completed',
  'busy',
  'no_answer',
  'failed',
  'canceled',
] as const
export type CallState = (typeof CALL_STATES)[number]

export const TERMINAL_STATES: readonly CallState[] = [
  'completed',
  'busy',
  'no_answer',
  'failed',
  'canceled',
]

/*
 * Progress rank: later phases win. Among terminal states, `completed` (the call was
 * answered and ended) outranks the unanswered outcomes, because a stray `busy` from a
 * losing fork leg must not overwrite a call that was in fact answered.
 */
const RANK: Record<CallState, number> = {
  initiated: 0,
  ringing: 1,
  answered: 2,
  busy: 3,
  no_answer: 3,
  canceled: 3,
  failed: 3,
  completed: 4,
}

export type Transition = { state: CallState; changed: boolean; ignored?: 'stale' | 'terminal' }

export function nextCallState(current: CallState, incoming: CallState): Transition {
  if (current === incoming) return { state: current, changed: false }
  const currentRank = RANK[current]
  const incomingRank = RANK[incoming]
  if (TERMINAL_STATES.includes(current)) {
    // Two different terminal outcomes: keep the stronger one so the order cannot matter.
    if (TERMINAL_STATES.includes(incoming) && incomingRank > currentRank)
      return { state: incoming, changed: true }
    if (TERMINAL_STATES.includes(incoming) && incomingRank === currentRank) {
      return incoming < current
        ? { state: incoming, changed: true }
        : { state: current, changed: false, ignored: 'terminal' }
    }
    return { state: current, changed: false, ignored: 'terminal' }
  }
  if (incomingRank <= currentRank) return { state: current, changed: false, ignored: 'stale' }
  return { state: incoming, changed: true }
}

/** Maps Cloudonix session-update statuses and CDR dispositions onto our states. */
export function stateFromCloudonix(status: string): CallState | null {
  switch (status.toLowerCase()) {
    case 'new':
    case 'processing':
      return 'initiated'
    case 'ringing':
      return 'ringing'
    case 'connected':
    case 'answer':
      return 'answered'
    case 'busy':
      return 'busy'
    case 'noanswer':
    case 'no-answer':
      return 'no_answer'
    case 'cancel':
    case 'canceled':
      return 'canceled'
    case 'error':
    case 'failed':
    case 'nocredit':
    case 'congestion':
      return 'failed'
    case 'completed':
      return 'completed'
    default:
      return null
  }
}
