/*
 * Route ids are PostgreSQL integers. Anything that is not a positive int4 cannot name a
 * row, so it becomes 0 (never matches) instead of reaching the database as an error.
 */
const INT4_MAX = 2_147_483_647

export function idParam(value: unknown): number {
  const id = Number(value)
  return Number.isInteger(id) && id > 0 && id <= INT4_MAX ? id : 0
}
