import { test } from '@japa/runner'
import { passwordProblems } from '#services/auth/password_policy'

test.group('Password policy', () => {
  test('accepts a long enough password with letters and digits', ({ assert }) => {
    assert.deepEqual(passwordProblems('Valid-pass-2026', 'olivia@acme.test'), [])
  })

  test('rejects short passwords', ({ assert }) => {
    assert.include(
      passwordProblems('ab12', null),
      'The password must be at least 8 characters long',
    )
  })

  test('requires both letters and digits', ({ assert }) => {
    assert.include(
      passwordProblems('onlyletters', null),
      'The password must contain both letters and digits',
    )
    assert.include(
      passwordProblems('1234567890', null),
      'The password must contain both letters and digits',
    )
  })

  test('rejects a password containing the email or its local part', ({ assert }) => {
    assert.include(
      passwordProblems('olivia2026!', 'olivia@acme.test'),
      'The password must not contain your email address',
    )
    assert.include(
      passwordProblems('x-olivia@acme.test-1', 'olivia@acme.test'),
      'The password must not contain your email address',
    )
  })

  test('rejects passwords from the bundled common list, case-insensitively', ({ assert }) => {
    assert.include(
      passwordProblems('Password123', null),
      'This password is too common; choose a less predictable one',
    )
    assert.include(
      passwordProblems('qwerty123', null),
      'This password is too common; choose a less predictable one',
    )
  })
})
