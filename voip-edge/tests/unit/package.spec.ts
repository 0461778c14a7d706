import { test } from '@japa/runner'
import { VOIP_EDGE_VERSION } from '../../src/index.ts'

test.group('voip-edge package', () => {
  test('exposes a semantic version', ({ assert }) => {
    assert.match(VOIP_EDGE_VERSION, /^\d+\.\d+\.\d+$/)
  })
})
