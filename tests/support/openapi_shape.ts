import type { Assert } from '@japa/assert'

/*
 * A small structural check of an API response against a schema of the served OpenAPI
 * document: no undocumented key, documented keys present, types and enums respected,
 * nested objects checked recursively. Shared by every area's "responses match the
 * document" test and by the response validator that checks every functional test's
 * /api/v1 response (tests/support/openapi_validator.ts), which passes a `resolve` for `$ref`.
 */

export type Schema = {
  $ref?: string
  type?: string | string[]
  nullable?: boolean
  enum?: unknown[]
  oneOf?: Schema[]
  anyOf?: Schema[]
  allOf?: Schema[]
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: boolean | Schema
  items?: Schema
}

export type ShapeOptions = {
  /** Turns a `$ref` such as `#/components/schemas/User` into its schema. */
  resolve?: (ref: string) => Schema | undefined
  /**
   * Nested objects without a `required` list must carry every documented property too (as the
   * top level always does), so a field the API stops sending is noticed.
   */
  strict?: boolean
}

type Context = ShapeOptions & { problems: string[]; resolving: Set<string> }

function kindOf(value: unknown) {
  if (value === null) return 'null'
  if (Number.isInteger(value)) return 'integer'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/*
 * Follows `$ref`s until a concrete schema. `resolving` holds the refs followed for the current
 * value only (it is reset when the check descends into a property or item), so a schema that
 * refers to itself through its children is fine and only a ref loop with no progress is caught.
 */
function deref(schema: Schema, path: string, context: Context): Schema | undefined {
  let current = schema
  while (current.$ref) {
    const ref = current.$ref
    if (context.resolving.has(ref)) {
      context.problems.push(`${path}: circular $ref ${ref}`)
      return undefined
    }
    context.resolving.add(ref)
    // Without a resolver (the per-area shape tests) a $ref is left unchecked, as it always was.
    if (!context.resolve) return undefined
    const target = context.resolve(ref)
    if (!target) {
      context.problems.push(`${path}: unresolvable $ref ${ref}`)
      return undefined
    }
    current = target
  }
  return current
}

/* `allOf` parts merged into one object schema, so keys documented by any part are documented. */
function merged(schema: Schema, path: string, context: Context): Schema | undefined {
  if (!schema.allOf) return schema
  const result: Schema = { ...schema, allOf: undefined }
  for (const part of schema.allOf) {
    const concrete = deref(part, path, context)
    const flat = concrete && merged(concrete, path, context)
    if (!flat) return undefined
    result.type ??= flat.type
    result.enum ??= flat.enum
    result.items ??= flat.items
    result.additionalProperties ??= flat.additionalProperties
    if (flat.properties) result.properties = { ...result.properties, ...flat.properties }
    const required = flat.required ?? (context.strict ? Object.keys(flat.properties ?? {}) : [])
    if (required.length > 0) result.required = [...(result.required ?? []), ...required]
  }
  return result
}

function isNullable(schema: Schema) {
  return schema.nullable === true || [schema.type ?? []].flat().includes('null')
}

function matchesSome(options: Schema[], value: unknown, context: Context) {
  return options.some((option) => schemaProblems(option, value, [], context).length === 0)
}

function check(raw: Schema, value: unknown, path: string, context: Context, mustHave?: string[]) {
  const concrete = deref(raw, path, context)
  const schema = concrete && merged(concrete, path, context)
  if (!schema) return
  const { problems } = context
  if (value === null && isNullable(schema)) return
  if (schema.oneOf) {
    if (!matchesSome(schema.oneOf, value, context)) problems.push(`${path}: matches none of oneOf`)
    return
  }
  if (schema.anyOf) {
    if (!matchesSome(schema.anyOf, value, context)) problems.push(`${path}: matches none of anyOf`)
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
  const descend = (inner: Schema, item: unknown, at: string) =>
    check(inner, item, at, { ...context, resolving: new Set() })
  if (kind === 'array' && schema.items) {
    ;(value as unknown[]).forEach((item, i) => descend(schema.items!, item, `${path}[${i}]`))
  }
  const extra = schema.additionalProperties
  if (context.strict && kind === 'object' && types.includes('object')) {
    // A bare `{ type: 'object' }` would accept any body: the document must say what is in it.
    if (!schema.properties && extra === undefined) problems.push(`${path}: object undescribed`)
  }
  if (kind !== 'object' || (!schema.properties && typeof extra !== 'object')) return
  const object = value as Record<string, unknown>
  const expected = context.strict ? Object.keys(schema.properties ?? {}) : []
  for (const key of mustHave ?? schema.required ?? expected) {
    if (!(key in object)) problems.push(`${path}.${key}: documented but missing`)
  }
  for (const [key, inner] of Object.entries(object)) {
    const property = schema.properties?.[key]
    if (property) descend(property, inner, `${path}.${key}`)
    else if (typeof extra === 'object') descend(extra, inner, `${path}.${key}`)
    else if (extra !== true) problems.push(`${path}.${key}: undocumented`)
  }
}

/** Every problem found; at the top level every documented key must be present unless optional. */
export function schemaProblems(
  schema: Schema,
  value: unknown,
  optional: string[] = [],
  options: ShapeOptions = {},
) {
  const context: Context = { ...options, problems: [], resolving: new Set() }
  const top = deref(schema, '$', { ...options, problems: [], resolving: new Set() }) ?? schema
  const topLevel =
    top.required ?? Object.keys(top.properties ?? {}).filter((k) => !optional.includes(k))
  check(schema, value, '$', context, topLevel)
  return context.problems
}

export function assertMatchesSchema(
  assert: Assert,
  schema: Schema,
  value: unknown,
  optional: string[] = [],
) {
  assert.deepEqual(schemaProblems(schema, value, optional), [])
}
