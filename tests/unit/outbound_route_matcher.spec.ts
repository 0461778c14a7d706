import { test } from '@japa/runner'
import {
  rewriteNumber,
  routeMatches,
  selectRoute,
  type RouteShape,
} from '#services/trunks/outbound_route_matcher'

let id = 0
const route = (overrides: Partial<RouteShape>): RouteShape => ({
  id: ++id,
  prefix: null,
  minLength: null,
  maxLength: null,
  stripDigits: 0,
  prepend: null,
  priority: 10,
  enabled: true,
  ...overrides,
})

test.group('Outbound route matcher', () => {
  test('matches on prefix, and a null prefix matches everything', ({ assert }) => {
    assert.isTrue(routeMatches(route({ prefix: '+1' }), '+12125550100'))
    assert.isFalse(routeMatches(route({ prefix: '+1' }), '+442079460000'))
    assert.isTrue(routeMatches(route({}), '5550100'))
  })

  test('length bounds count digits only', ({ assert }) => {
    const local = route({ minLength: 7, maxLength: 7 })
    assert.isTrue(routeMatches(local, '5550100'))
    assert.isFalse(routeMatches(local, '555010'))
    assert.isFalse(routeMatches(local, '55501000'))
    assert.isTrue(routeMatches(route({ maxLength: 11 }), '+12125550100'))
  })

  test('disabled routes never match', ({ assert }) => {
    assert.isFalse(routeMatches(route({ enabled: false }), '+12125550100'))
  })

  test('the lowest priority value wins, then the older route', ({ assert }) => {
    const catchAll = route({ priority: 50 })
    const us = route({ prefix: '+1', priority: 5 })
    const usToo = route({ prefix: '+1', priority: 5 })
    assert.equal(selectRoute([catchAll, usToo, us], '+12125550100')?.id, us.id)
    assert.equal(selectRoute([catchAll, us], '+442079460000')?.id, catchAll.id)
    assert.isNull(selectRoute([us], '+442079460000'))
  })

  test('strips then prepends', ({ assert }) => {
    assert.equal(rewriteNumber({ stripDigits: 1, prepend: '+' }, '900441234567'), '+00441234567')
    assert.equal(rewriteNumber({ stripDigits: 3, prepend: '+' }, '900441234567'), '+441234567')
    assert.equal(rewriteNumber({ stripDigits: 0, prepend: null }, '+4420'), '+4420')
    assert.equal(rewriteNumber({ stripDigits: 2, prepend: '1' }, '+12125550100'), '12125550100')
  })
})
