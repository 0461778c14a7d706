import type { Assert } from '@japa/assert'

/*
 * A small structural check of an API response against a schema of the served OpenAPI
 * document: no undocumented key, documented keys present, types and enums respected,
 * nested objects checked recursively. Shared by every area's "responses match the
 * document" test.
 */

export type Schema = {
  type?: string | string[]
  enum?: unknown[]
  oneOf?: Schema[]
  required?: string[]
  properties?: Record<string, Schema>
  items?: Schema
}

function kindOf(value: unknown) {
  if (value === null) return 'null'
  if (Number.isInteger(value)) return 'integer'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function check(
  schema: Schema,
  value: unknown,
  path: string,
  problems: string[],
  mustHave?: string[],
) {
  if (schema.oneOf) {
    if (!schema.oneOf.some((option) => schemaProblems(option, value).length === 0)) {
      problems.push(`${path}: matches none of oneOf`)
    }
    return
  }
  if (schema.enum) {
    if (!schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`)
    return
  }
  const kind = kindOf(value)
  const types = [schema.type ?? []].flat()
  if (
    types.length > 0 &&
    !types.includes(kind) &&
    !(kind === 'integer' && types.includes('number'))
  ) {
    problems.push(`${path}: ${kind} is not ${types.join('|')}`)
  }
  if (kind === 'array' && schema.items) {
    ;(value as unknown[]).forEach((item, i) =>
      check(schema.items!, item, `${path}[${i}]`, problems),
    )
  }
  if (kind !== 'object' || !schema.properties) return
  const object = value as Record<string, unknown>
  for (const key of mustHave ?? schema.required ?? []) {
    if (!(key in object)) problems.push(`${path}.${key}: documented but missing`)
  }
  for (const [key, inner] of Object.entries(object)) {
    const property = schema.properties[key]
    if (!property) problems.push(`${path}.${key}: undocumented`)
    else check(property, inner, `${path}.${key}`, problems)
  }
}

/** Every problem found; at the top level every documented key must be present unless optional. */
export function schemaProblems(schema: Schema, value: unknown, optional: string[] = []) {
  const problems: string[] = []
  const topLevel =
    schema.required ?? Object.keys(schema.properties ?? {}).filter((k) => !optional.includes(k))
  check(schema, value, '$', problems, topLevel)
  return problems
}

export function assertMatchesSchema(
  assert: Assert,
  schema: Schema,
  value: unknown,
  optional: string[] = [],
) {
  assert.deepEqual(schemaProblems(schema, value, optional), [])
}
