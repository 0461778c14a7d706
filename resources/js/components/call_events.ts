import { useEffect, useRef, useState } from 'react'

export type CallEvent = { callId: string; state: string; call: unknown }

/**
 * Subscribes to the organization's live call stream (/calls/live/events) while the
 * component is mounted. `onReady` runs each time the stream (re)connects, which is when a
 * page should re-read what it shows; `onEvent` runs for each call state change.
 */
export function useCallEvents(
  enabled: boolean,
  handlers: { onReady?: () => void; onEvent?: (event: CallEvent) => void },
) {
  const [connected, setConnected] = useState(false)
  const latest = useRef(handlers)
  useEffect(() => {
    latest.current = handlers
  })
  useEffect(() => {
    if (!enabled) return
    const source = new EventSource('/calls/live/events')
    source.addEventListener('ready', () => {
      setConnected(true)
      latest.current.onReady?.()
    })
    source.addEventListener('call', (message) => {
      latest.current.onEvent?.(JSON.parse((message as MessageEvent).data) as CallEvent)
    })
    source.onerror = () => setConnected(false)
    return () => source.close()
  }, [enabled])
  return connected
}
