import { test } from '@japa/runner'
import { schemaProblems } from '#tests/support/openapi_shape'

const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { enum: ['a', 'b'] },
    note: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
}

test.group('OpenAPI response shape checker', () => {
  test('accepts a conforming object', ({ assert }) => {
    assert.deepEqual(schemaProblems(schema, { id: 1, kind: 'a', note: null, tags: ['x'] }), [])
  })

  test('reports wrong types, enums, undocumented and missing keys', ({ assert }) => {
    const problems = schemaProblems(schema, { id: '1', kind: 'c', tags: [2], extra: true })
    assert.includeMembers(problems, [
      '$.note: documented but missing',
      '$.id: string is not integer',
      '$.kind: "c" not in enum',
      '$.tags[0]: integer is not string',
      '$.extra: undocumented',
    ])
    assert.deepEqual(schemaProblems(schema, { id: 1, kind: 'a', tags: [] }, ['note']), [])
  })
})
