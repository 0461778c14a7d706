import { test } from '@japa/runner'
import {
  DEFAULT_DENIED_PREFIXES,
  evaluateOutbound,
  internationalForm,
  normaliseNumber,
  type PolicyRule,
} from '#services/trunks/outbound_policy'

const allow = (prefix: string): PolicyRule => ({ kind: 'allow', prefix })
const deny = (prefix: string): PolicyRule => ({ kind: 'deny', prefix })

type Case = [label: string, number: string, rules: PolicyRule[], allowed: boolean, reason: string]

const cases: Case[] = [
  ['no rules: an ordinary number is allowed', '+442079460000', [], true, 'allowed'],
  ['no rules: a national number is allowed', '02079460000', [], true, 'allowed'],
  ['built-in: US premium +1900 is denied', '+19005551234', [], false, 'denied_by_default'],
  ['built-in: +1976 is denied', '+19765551234', [], false, 'denied_by_default'],
  ['built-in: satellite +881 is denied', '+881612345678', [], false, 'denied_by_default'],
  ['built-in: international networks +882 denied', '+88234567890', [], false, 'denied_by_default'],
  ['built-in: +883 is denied', '+88312345678', [], false, 'denied_by_default'],
  ['built-in: +979 is denied', '+97912345678', [], false, 'denied_by_default'],
  ['built-in: 00-dialled premium is denied too', '0019005551234', [], false, 'denied_by_default'],
  ['a deny rule blocks its prefix', '+447700900123', [deny('+44')], false, 'denied_by_rule'],
  ['a deny rule leaves other prefixes alone', '+33123456789', [deny('+44')], true, 'allowed'],
  [
    'a longer allow beats a shorter deny',
    '+447700900123',
    [deny('+44'), allow('+447700')],
    true,
    'allowed_by_rule',
  ],
  [
    'a longer deny beats a shorter allow',
    '+447700900123',
    [allow('+44'), deny('+4477')],
    false,
    'denied_by_rule',
  ],
  [
    'whitelist mode: a number outside every allow is blocked',
    '+33123456789',
    [allow('+44')],
    false,
    'not_whitelisted',
  ],
  [
    'whitelist mode: a number inside an allow passes',
    '+442079460000',
    [allow('+44')],
    true,
    'allowed_by_rule',
  ],
  [
    'whitelist mode: a national number has no E.164 form and is blocked',
    '02079460000',
    [allow('+44')],
    false,
    'not_whitelisted',
  ],
  [
    'an allow of the whole country does not open its premium range',
    '+19005551234',
    [allow('+1')],
    false,
    'denied_by_default',
  ],
  [
    'an explicit allow of a default range overrides the default',
    '+19005551234',
    [allow('+1900')],
    true,
    'allowed_by_rule',
  ],
  [
    'a longer allow inside a default range overrides it',
    '+8816123456',
    [allow('+88161')],
    true,
    'allowed_by_rule',
  ],
  [
    'a tenant deny wins over an allow of the same length',
    '+447700900123',
    [allow('+44'), deny('+44')],
    false,
    'denied_by_rule',
  ],
  [
    'an explicit allow of a default range still yields to a longer tenant deny',
    '+19005550000',
    [allow('+1900'), deny('+190055')],
    false,
    'denied_by_rule',
  ],
]

test.group('OutboundPolicy', () => {
  test('{label}')
    .with(
      cases.map(([label, number, rules, allowed, reason]) => ({
        label,
        number,
        rules,
        allowed,
        reason,
      })),
    )
    .run(({ assert }, row) => {
      const decision = evaluateOutbound(row.number, row.rules)
      assert.equal(decision.allowed, row.allowed)
      assert.equal(decision.reason, row.reason)
    })

  test('reports the prefix that decided', ({ assert }) => {
    assert.equal(
      evaluateOutbound('+447700900123', [deny('+44'), deny('+4477')]).matchedPrefix,
      '+4477',
    )
    assert.equal(evaluateOutbound('+19005551234', []).matchedPrefix, '+1900')
    assert.isNull(evaluateOutbound('+33123456789', []).matchedPrefix)
  })

  test('the built-in list holds the documented high-risk ranges', ({ assert }) => {
    for (const prefix of ['+1900', '+1976', '+881', '+882', '+883', '+979'])
      assert.include(DEFAULT_DENIED_PREFIXES, prefix)
  })

  test('normalises separators and refuses malformed numbers', ({ assert }) => {
    assert.equal(normaliseNumber(' +44 (20) 7946-0000 '), '+442079460000')
    assert.equal(normaliseNumber('00.44.20'), '004420')
    for (const bad of ['', '+', '12a45', '++4412', '4'.repeat(21), '+44 20 x', '1']) {
      assert.isNull(normaliseNumber(bad), bad)
    }
  })

  test('international form: "+" kept, "00" becomes "+", national numbers have none', ({
    assert,
  }) => {
    assert.equal(internationalForm('+4420'), '+4420')
    assert.equal(internationalForm('004420'), '+4420')
    assert.isNull(internationalForm('02079460000'))
    assert.isNull(internationalForm('900'))
  })
})
