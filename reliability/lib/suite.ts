/**
 * What a reliability suite is: a module in reliability/suites/ that exports `suite`. The
 * runner (reliability/run.ts) discovers them, so adding a suite never touches the runner.
 *
 * A suite starts and stops every process it needs itself (the lazily shared pieces come
 * from the context: the seeded database, the dedicated redis-server, the app environment),
 * returns its rows, and must stop by itself within bounded time.
 */
import type { AppProcess, RedisProcess } from './processes.ts'
import type { Row } from './report.ts'

export type Seeded = {
  run: string
  tenants: {
    id: number
    domain: string
    secret: string
    dids: string[]
    tokens: string[]
    extensionIds: number[]
  }[]
}

export type SuiteContext = {
  quick: boolean
  /** A numeric flag `--name=value`; falls back to `full`, or `quick` under --quick. */
  number(name: string, full: number, quick: number): number
  /** A string flag, or the fallback. */
  text(name: string, fallback: string): string
  /** The fresh reliability database (recreated, migrated and seeded on first call). */
  seeded(): Promise<Seeded>
  database: string
  /** The run's dedicated redis-server (started on first call; never the shared 6379). */
  redis(): Promise<RedisProcess>
  /** The signing secret shared by the app processes and the edges of this run. */
  edgeSecret: string
  /** Environment for an app process on the run's database and Redis. */
  appEnv(): Promise<Record<string, string>>
  /** Starts the app (bin/server.ts) with appEnv() plus `extra`; stopped at the end of the run. */
  startApp(extra?: Record<string, string>): Promise<AppProcess>
  log(message: string): void
}

export type Suite = {
  /** The --only name. */
  name: string
  /** Position in a full run (lower first). */
  order: number
  /** Runs only when named in --only or given --<name> (the soak). */
  optIn?: boolean
  /** One line for the help text. */
  describe: string
  run(ctx: SuiteContext): Promise<Row[]>
}
