/**
 * Short-lived Redis locks (Redlock on the app's Redis connection) that serialize edits of
 * one resource against each other and against the execution plane reading it. The budget
 * to obtain a lock is about retryCount × retryDelayMs (+ jitter), 1 s by default; after
 * that the API answers 409 E_RESOURCE_LOCKED instead of making the client wait longer.
 * Read on every acquisition, so a test may shorten the budget with `config.set`.
 */
const lockConfig = {
  /* Expiry of a lock whose holder died: longer than any write it guards. */
  ttlMs: 10_000,
  retryCount: 20,
  retryDelayMs: 50,
  retryJitterMs: 20,
}

export type LockConfig = typeof lockConfig
export default lockConfig
