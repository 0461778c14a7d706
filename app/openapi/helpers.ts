/* Small builders shared by the OpenAPI path fragments under app/openapi/paths/. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
export const json = (schema: object) => ({ 'application/json': { schema } })
export const error = (description: string) => ({ description, content: json(ref('Error')) })
export const ok = (description: string, schema: object) => ({ description, content: json(schema) })
export const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
}

/** `{ data: <schema> }` and `{ data: [<schema>], meta }` envelopes. */
export const one = (name: string) => ({ type: 'object', properties: { data: ref(name) } })
export const page = (name: string) => ({
  type: 'object',
  properties: { data: { type: 'array', items: ref(name) }, meta: ref('PageMeta') },
})

/** Query parameters every list endpoint accepts; add the resource's own filters. */
export const listParams = (sortable: string[]) => [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  {
    name: 'perPage',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
  },
  { name: 'search', in: 'query', schema: { type: 'string' } },
  { name: 'sort', in: 'query', schema: { enum: sortable.flatMap((f) => [f, `-${f}`]) } },
  { name: 'trashed', in: 'query', schema: { enum: ['with', 'only'] } },
]

export const commonErrors = {
  401: error('Missing, invalid or expired bearer token'),
  403: error('Forbidden by role, token ability, suspended organization, or pending password reset'),
  429: error('Rate limited (60 requests a minute per user); see Retry-After'),
}
