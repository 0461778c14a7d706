import { openApiDocument } from '#openapi/document'
import { schemaProblems, type Schema } from '#tests/support/openapi_shape'

/*
 * Checks a concrete response (method, path, status, body) against the OpenAPI document:
 * the operation must exist, the status must be documented for it, and a JSON body must match
 * the documented schema. tests/bootstrap.ts runs it on every /api/v1 response of the
 * functional suite, so the document cannot drift from what the API really answers.
 */

type Operation = { responses?: Record<string, Response> }
type Response = { description?: string; content?: Record<string, { schema?: Schema }> }
export type OpenApiDocument = {
  servers?: { url: string }[]
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}

export type ExchangeUnderTest = {
  method: string
  url: string
  status: number
  contentType?: string
  body: unknown
}

export type Verdict = { operation: string; problems: string[] }

/*
 * Responses that legitimately have no operation in the document. Each needs a reason; the
 * validator still checks them against the Error schema.
 */
export const UNDESCRIBED: { reason: string; matches: (exchange: ExchangeUnderTest) => boolean }[] =
  [
    {
      reason:
        'The router answers 404 for a path or method it does not know: there is no operation ' +
        'to document, but the body must still be the error envelope',
      matches: ({ status, body }) => status === 404 && hasErrorCode(body, 'E_ROUTE_NOT_FOUND'),
    },
    {
      reason:
        'A verb the path does not have answers 405 with Allow (app/exceptions/handler.ts): ' +
        'the operation does not exist by definition; the body must be the error envelope',
      matches: ({ status, body }) => status === 405 && hasErrorCode(body, 'E_METHOD_NOT_ALLOWED'),
    },
    {
      reason:
        'CORS preflights (OPTIONS) are answered by the CORS middleware before routing; ' +
        'they are not API operations and carry no body',
      matches: ({ method, body }) => method.toUpperCase() === 'OPTIONS' && !hasBody(body),
    },
  ]

function hasErrorCode(body: unknown, code: string) {
  return (body as { error?: { code?: unknown } } | null)?.error?.code === code
}

const SEGMENT_PARAM = /^\{[^}]+\}$/

/* The template matching the path; literal segments beat parameters (/users/me over /users/{id}). */
export function matchTemplate(templates: string[], path: string) {
  const segments = path.split('/')
  let best: { template: string; literals: number } | undefined
  for (const template of templates) {
    const parts = template.split('/')
    if (parts.length !== segments.length) continue
    let literals = 0
    const fits = parts.every((part, i) => {
      if (SEGMENT_PARAM.test(part)) return segments[i] !== ''
      literals++
      return part === segments[i]
    })
    if (fits && (!best || literals > best.literals)) best = { template, literals }
  }
  return best?.template
}

function isJson(contentType: string | undefined) {
  return /^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '')
}

function hasBody(body: unknown) {
  if (body === undefined || body === null || body === '') return false
  return !(typeof body === 'object' && Object.keys(body).length === 0 && !Array.isArray(body))
}

export function createValidator(document: OpenApiDocument) {
  const prefix = (document.servers?.[0]?.url ?? '').replace(/\/$/, '')
  const templates = Object.keys(document.paths)
  const resolve = (ref: string) => {
    const match = /^#\/components\/schemas\/(.+)$/.exec(ref)
    return match ? document.components?.schemas?.[match[1]] : undefined
  }
  const errorSchema: Schema = { $ref: '#/components/schemas/Error' }

  function bodyProblems(schema: Schema, body: unknown) {
    return schemaProblems(schema, body, [], { resolve, strict: true })
  }

  return function validate(exchange: ExchangeUnderTest): Verdict {
    const method = exchange.method.toLowerCase()
    const pathname = new URL(exchange.url, 'http://localhost').pathname.replace(/\/$/, '')
    const relative = pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : pathname
    const template = matchTemplate(templates, relative)
    const label = `${method.toUpperCase()} ${template ?? relative} → ${exchange.status}`
    const operation = template ? document.paths[template][method] : undefined
    if (!operation) {
      const known = UNDESCRIBED.find((rule) => rule.matches(exchange))
      if (!known) return { operation: label, problems: ['no such operation in the document'] }
      const problems = hasBody(exchange.body) ? bodyProblems(errorSchema, exchange.body) : []
      return { operation: `${label} (not an operation: ${known.reason})`, problems }
    }
    const responses = operation.responses ?? {}
    const documented =
      responses[String(exchange.status)] ??
      responses[`${String(exchange.status)[0]}XX`] ??
      responses.default
    if (!documented) {
      const listed = Object.keys(responses).join(', ')
      return {
        operation: label,
        problems: [`status ${exchange.status} not documented (${listed})`],
      }
    }
    if (!isJson(exchange.contentType)) {
      const mediaType = (exchange.contentType ?? '').split(';')[0].trim().toLowerCase()
      const listed = Object.keys(documented.content ?? {})
      if (!mediaType || listed.length === 0 || listed.includes(mediaType)) {
        return { operation: label, problems: [] }
      }
      return {
        operation: label,
        problems: [`${mediaType} body, but the response documents ${listed.join(', ')}`],
      }
    }
    const schema = documented.content?.['application/json']?.schema
    if (!schema) {
      if (!hasBody(exchange.body)) return { operation: label, problems: [] }
      const types = Object.keys(documented.content ?? {}).join(', ') || 'no content'
      return { operation: label, problems: [`JSON body, but the response documents ${types}`] }
    }
    return { operation: label, problems: bodyProblems(schema, exchange.body) }
  }
}

export const validateResponse = createValidator(openApiDocument as unknown as OpenApiDocument)

/** How many responses the functional run checked; printed when the suite ends. */
export const validationStats = { validated: 0, failed: 0, seen: new Set<string>() }

/** "documented responses exercised / documented" and the same for operations. */
export function coverage(
  document: OpenApiDocument = openApiDocument as unknown as OpenApiDocument,
) {
  const responses = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      Object.keys(operation.responses ?? {}).map((s) => `${method.toUpperCase()} ${path} → ${s}`),
    ),
  )
  const operationOf = (label: string) => label.split(' → ')[0]
  const operations = new Set(responses.map(operationOf))
  const seen = [...validationStats.seen]
  return {
    responses: `${responses.filter((label) => validationStats.seen.has(label)).length}/${responses.length}`,
    operations: `${[...operations].filter((op) => seen.some((l) => operationOf(l) === op)).length}/${operations.size}`,
  }
}

export class OpenApiMismatch extends Error {
  constructor(verdict: Verdict) {
    super(
      `Response does not match the OpenAPI document: ${verdict.operation}\n` +
        verdict.problems.map((problem) => `  - ${problem}`).join('\n'),
    )
    this.name = 'OpenApiMismatch'
  }
}

/** Validates one exchange when it targets the documented server; throws on a mismatch. */
export function assertDocumented(exchange: ExchangeUnderTest) {
  const pathname = new URL(exchange.url, 'http://localhost').pathname
  const prefix = (openApiDocument.servers[0]?.url ?? '').replace(/\/$/, '')
  if (!pathname.startsWith(`${prefix}/`)) return
  const verdict = validateResponse(exchange)
  validationStats.validated++
  validationStats.seen.add(verdict.operation)
  if (verdict.problems.length === 0) return
  validationStats.failed++
  throw new OpenApiMismatch(verdict)
}
