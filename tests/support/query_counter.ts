import db from '@adonisjs/lucid/services/db'

/**
 * Counts the SQL statements sent while `fn` runs (every statement the app issues on the
 * default connection, inside or outside the test transaction). For N+1 checks: a list
 * endpoint must issue the same number of queries for 5 rows as for 50.
 */
export async function countQueries(fn: () => Promise<unknown>) {
  const client = db.connection().getWriteClient()
  let count = 0
  const listener = () => {
    count += 1
  }
  client.on('query', listener)
  try {
    await fn()
  } finally {
    client.off('query', listener)
  }
  return count
}
