import { test } from '@japa/runner'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'

test.group('Web sign-in', (group) => {
  isolate(group)

  test('the login page renders with strict security headers', async ({ client, assert }) => {
    const response = await client.get('/login').withInertia()
    response.assertStatus(200)
    response.assertInertiaComponent('auth/login')
    const html = await client.get('/login')
    const csp = html.header('content-security-policy') ?? ''
    assert.include(csp, "default-src 'self'")
    assert.include(csp, "frame-ancestors 'none'")
    assert.include(csp, "object-src 'none'")
    assert.equal(html.header('x-frame-options'), 'DENY')
    assert.equal(html.header('x-content-type-options'), 'nosniff')
    assert.equal(html.header('referrer-policy'), 'strict-origin-when-cross-origin')
  })

  test('signs in with a CSRF token and lands on the dashboard', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: owner.email, password: FACTORY_PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/')
    assert.equal(response.session('auth_web'), owner.id)
  })

  test('remember me issues a long-lived cookie', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: owner.email, password: FACTORY_PASSWORD, remember: 'true' })
      .redirects(0)
    response.assertStatus(302)
    assert.exists(response.cookie('remember_web'))
  })

  test('a form post without a CSRF token is refused', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/login')
      .form({ email: owner.email, password: FACTORY_PASSWORD })
      .redirects(0)
    assert.notEqual(response.status(), 200)
    assert.isUndefined(response.session('auth_web'))
  })

  test('wrong credentials go back to the form with a message', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/login')
      .withCsrfToken()
      .header('referer', '/login')
      .form({ email: owner.email, password: 'Wrong-pass-1' })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.flashMessage('error'), 'Invalid email or password')
  })

  test('pages need a session; signing out ends it', async ({ client, assert }) => {
    const { user } = await createTenant()
    const anonymous = await client.get('/').redirects(0)
    anonymous.assertStatus(302)
    assert.equal(anonymous.header('location'), '/login')

    const page = await client.get('/').withGuard('web').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('dashboard')
    page.assertInertiaPropsContains({ currentUser: { id: user.id, role: 'pbx_user' } })

    const out = await client
      .post('/logout')
      .withGuard('web')
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    out.assertStatus(302)
    assert.isUndefined(out.session('auth_web'))
  })

  test('a suspended organization ends the web session with a message', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    organization.status = 'suspended'
    await organization.save()
    const response = await client.get('/').withGuard('web').loginAs(user).redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/login')
    assert.include(response.flashMessage('error'), 'suspended')
  })

  test('reset-required users are sent to the password page until they change it', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    user.passwordResetRequired = true
    await user.save()
    const blocked = await client.get('/').withGuard('web').loginAs(user).redirects(0)
    assert.equal(blocked.header('location'), '/password/change')
    const page = await client.get('/password/change').withGuard('web').loginAs(user).withInertia()
    page.assertInertiaComponent('auth/change_password')
    page.assertInertiaPropsContains({ required: true })

    const changed = await client
      .put('/password')
      .withGuard('web')
      .loginAs(user)
      .withCsrfToken()
      .form({
        currentPassword: FACTORY_PASSWORD,
        password: 'Brand-new-77x',
        passwordConfirmation: 'Brand-new-77x',
      })
      .redirects(0)
    changed.assertStatus(302)
    assert.equal(changed.header('location'), '/')
    await user.refresh()
    assert.isFalse(user.passwordResetRequired)
  })
})
