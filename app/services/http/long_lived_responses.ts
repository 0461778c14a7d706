import type { ServerResponse } from 'node:http'
import app from '@adonisjs/core/services/app'

/*
 * Responses that stay open on purpose (server-sent event streams). On shutdown the HTTP
 * server waits for every request in flight, and a stream never finishes by itself, so these
 * are ended first: the browser's EventSource reconnects (to another instance behind the
 * balancer) and re-reads the page state.
 */
const open = new Set<ServerResponse>()
let shuttingDown = false

function endAll() {
  shuttingDown = true
  for (const response of open) response.end()
  open.clear()
}

/*
 * This module loads on the first stream, after the HTTP server registered its own
 * terminating hook; hooks run in reverse order, so this one runs before the server waits.
 * The signal listeners make it independent of that order for SIGTERM/SIGINT.
 */
app.terminating(endAll)
process.once('SIGTERM', endAll)
process.once('SIGINT', endAll)

/** Ends `response` when the process shuts down (at once if it already is). */
export function endOnShutdown(response: ServerResponse) {
  if (shuttingDown) {
    response.end()
    return
  }
  open.add(response)
  response.once('close', () => open.delete(response))
}
