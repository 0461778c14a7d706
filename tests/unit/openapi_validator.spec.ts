import { test } from '@japa/runner'
import {
  createValidator,
  matchTemplate,
  type OpenApiDocument,
} from '#tests/support/openapi_validator'
import { schemaProblems } from '#tests/support/openapi_shape'

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
}

const document: OpenApiDocument = {
  servers: [{ url: '/api/v1' }],
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
      Node: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'integer' },
          parent: { oneOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] },
        },
      },
      User: {
        allOf: [
          { $ref: '#/components/schemas/Node' },
          {
            type: 'object',
            properties: {
              name: { type: 'string' },
              phone: { type: ['string', 'null'] },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
        ],
      },
      Loop: { $ref: '#/components/schemas/Loop' },
    },
  },
  paths: {
    '/users/{id}': {
      get: {
        responses: {
          200: {
            description: 'One user',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { data: { $ref: '#/components/schemas/User' } },
                },
              },
            },
          },
          404: errorResponse,
        },
      },
      delete: { responses: { 204: { description: 'Deleted' } } },
    },
    '/users/me': {
      get: {
        responses: {
          200: {
            description: 'Me',
            content: { 'application/json': { schema: { type: 'object', required: ['me'] } } },
          },
        },
      },
    },
    '/users/export': {
      get: {
        responses: {
          200: { description: 'CSV', content: { 'text/csv': {} } },
          default: errorResponse,
        },
      },
    },
    '/loops': {
      get: {
        responses: {
          200: {
            description: 'Broken',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Loop' } } },
          },
        },
      },
    },
  },
}

const validate = createValidator(document)
const json = 'application/json; charset=utf-8'
const user = {
  id: 12,
  name: 'Ada',
  phone: null,
  labels: { team: 'ops' },
  parent: { id: 1, parent: null },
}

test.group('OpenAPI response validator', () => {
  test('accepts a response that matches its operation through $ref and allOf', ({ assert }) => {
    const verdict = validate({
      method: 'GET',
      url: '/api/v1/users/12?include=x',
      status: 200,
      contentType: json,
      body: { data: user },
    })
    assert.deepEqual(verdict, { operation: 'GET /users/{id} → 200', problems: [] })
  })

  test('prefers a literal path segment over a parameter', ({ assert }) => {
    const templates = Object.keys(document.paths)
    assert.equal(matchTemplate(templates, '/users/me'), '/users/me')
    assert.equal(matchTemplate(templates, '/users/7'), '/users/{id}')
    assert.isUndefined(matchTemplate(templates, '/users/7/extra'))
    assert.isUndefined(matchTemplate(templates, '/users/'))
  })

  test('reports wrong types, undocumented keys and bad values inside referenced schemas', ({
    assert,
  }) => {
    const body = {
      data: { ...user, id: '12', extra: 1, labels: { team: 3 }, parent: { parent: null } },
    }
    const verdict = validate({
      method: 'GET',
      url: '/api/v1/users/12',
      status: 200,
      contentType: json,
      body,
    })
    assert.includeMembers(verdict.problems, [
      '$.data.id: string is not integer',
      '$.data.extra: undocumented',
      '$.data.labels.team: integer is not string',
      '$.data.parent: matches none of oneOf',
    ])
  })

  test('reports an undocumented status and an unknown operation', ({ assert }) => {
    const teapot = validate({
      method: 'GET',
      url: '/api/v1/users/1',
      status: 418,
      contentType: json,
      body: {},
    })
    assert.deepEqual(teapot.problems, ['status 418 not documented (200, 404)'])
    const post = validate({
      method: 'POST',
      url: '/api/v1/users/1',
      status: 201,
      contentType: json,
      body: {},
    })
    assert.deepEqual(post.problems, ['no such operation in the document'])
  })

  test('lets only the listed router answers through without an operation', ({ assert }) => {
    const notFound = { error: { code: 'E_ROUTE_NOT_FOUND', message: 'No route' } }
    const wrongVerb = { error: { code: 'E_METHOD_NOT_ALLOWED', message: 'No' } }
    const at = (method: string, url: string, status: number, body: unknown) =>
      validate({ method, url, status, contentType: json, body }).problems
    assert.deepEqual(at('GET', '/api/v1/nowhere', 404, notFound), [])
    assert.deepEqual(at('PUT', '/api/v1/users/me', 405, wrongVerb), [])
    assert.deepEqual(at('GET', '/api/v1/nowhere', 200, { data: [] }), [
      'no such operation in the document',
    ])
    assert.deepEqual(at('PUT', '/api/v1/users/me', 405, { error: 'nope' }), [
      'no such operation in the document',
    ])
    const preflight = { method: 'OPTIONS', url: '/api/v1/users/1', status: 204, body: '' }
    assert.deepEqual(validate(preflight).problems, [])
  })

  test('checks error envelopes against the referenced Error schema', ({ assert }) => {
    const good = { error: { code: 'E_NOT_FOUND', message: 'Not found' } }
    const bad = { message: 'Not found' }
    const base = { method: 'GET', url: '/api/v1/users/1', status: 404, contentType: json }
    assert.deepEqual(validate({ ...base, body: good }).problems, [])
    assert.includeMembers(validate({ ...base, body: bad }).problems, [
      '$.error: documented but missing',
      '$.message: undocumented',
    ])
  })

  test('only checks the status of non-JSON responses and falls back to default', ({ assert }) => {
    const csv = { method: 'GET', url: '/api/v1/users/export', contentType: 'text/csv', body: 'a,b' }
    assert.deepEqual(validate({ ...csv, status: 200 }).problems, [])
    assert.deepEqual(validate({ ...csv, status: 200, contentType: 'text/html' }).problems, [
      'text/html body, but the response documents text/csv',
    ])
    const denied = { error: { code: 'E_FORBIDDEN', message: 'No' } }
    assert.deepEqual(
      validate({ ...csv, status: 403, contentType: json, body: denied }).problems,
      [],
    )
    assert.deepEqual(validate({ ...csv, status: 403, contentType: json, body: {} }).problems, [
      '$.error: documented but missing',
    ])
    const gone = { method: 'DELETE', url: '/api/v1/users/1', contentType: undefined, body: '' }
    assert.deepEqual(validate({ ...gone, status: 204 }).problems, [])
    assert.deepEqual(validate({ ...gone, status: 200, contentType: json, body: {} }).problems, [
      'status 200 not documented (204)',
    ])
  })

  test('reports a JSON body where the response documents none', ({ assert }) => {
    const verdict = validate({
      method: 'DELETE',
      url: '/api/v1/users/1',
      status: 204,
      contentType: json,
      body: { data: 1 },
    })
    assert.deepEqual(verdict.problems, ['JSON body, but the response documents no content'])
  })

  test('stops on a $ref cycle that makes no progress instead of looping', ({ assert }) => {
    const verdict = validate({
      method: 'GET',
      url: '/api/v1/loops',
      status: 200,
      contentType: json,
      body: {},
    })
    assert.deepEqual(verdict.problems, ['$: circular $ref #/components/schemas/Loop'])
  })

  test('expects every documented property unless the schema lists what is required', ({
    assert,
  }) => {
    const orphan: Record<string, unknown> = { ...user }
    delete orphan.parent
    const anonymous: Record<string, unknown> = { ...user }
    delete anonymous.name
    const base = { method: 'GET', url: '/api/v1/users/12', status: 200, contentType: json }
    // Node lists only id as required, so its parent may be absent.
    assert.deepEqual(validate({ ...base, body: { data: orphan } }).problems, [])
    assert.deepEqual(validate({ ...base, body: { data: anonymous } }).problems, [
      '$.data.name: documented but missing',
    ])
  })

  test('reports an object whose schema documents nothing about it', ({ assert }) => {
    const verdict = validate({
      method: 'GET',
      url: '/api/v1/users/me',
      status: 200,
      contentType: json,
      body: { me: { anything: true } },
    })
    assert.deepEqual(verdict.problems, ['$: object undescribed'])
  })

  test('keeps the plain checker behaviour: nullable and additionalProperties', ({ assert }) => {
    assert.deepEqual(schemaProblems({ type: 'string', nullable: true }, null), [])
    assert.deepEqual(schemaProblems({ type: 'string' }, null), ['$: null is not string'])
    const open = {
      type: 'object',
      properties: { a: { type: 'integer' } },
      additionalProperties: true,
    }
    assert.deepEqual(schemaProblems(open, { a: 1, b: 'x' }), [])
    assert.deepEqual(schemaProblems({ ...open, additionalProperties: false }, { a: 1, b: 'x' }), [
      '$.b: undocumented',
    ])
  })
})
