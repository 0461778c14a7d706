import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

/*
 * The access-token provider (app/auth/access_tokens_provider.ts) still checks the token on
 * every request but writes last_used_at at most once a minute, and never for a bad secret.
 */
async function lastUsed(token: string) {
  const id = Number(Buffer.from(token.slice('opbx_'.length).split('.')[0], 'base64url'))
  const row = await db.from('auth_access_tokens').where('id', id).firstOrFail()
  return { id, at: row.last_used_at as Date | null }
}

test.group('API token last_used_at', (group) => {
  isolate(group)

  test('is written on first use, then not again within a minute', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    assert.isNull((await lastUsed(token)).at)

    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(200)
    const first = (await lastUsed(token)).at
    assert.instanceOf(first, Date)

    for (let i = 0; i < 3; i++)
      (await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(200)
    assert.equal((await lastUsed(token)).at!.getTime(), first!.getTime())
  })

  test('is moved on when the stored value is over a minute old', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const { id } = await lastUsed(token)
    const old = new Date(Date.now() - 120_000)
    await db.from('auth_access_tokens').where('id', id).update({ last_used_at: old })

    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(200)
    assert.isAbove((await lastUsed(token)).at!.getTime(), old.getTime() + 60_000)
  })

  test('a wrong secret is refused and does not touch the row', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const [head, secret] = token.split('.')
    const forged = `${head}.${secret.slice(0, -4)}${secret.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`

    ;(await client.get('/api/v1/auth/me').bearerToken(forged)).assertStatus(401)
    assert.isNull((await lastUsed(token)).at)
  })

  test('a revoked token is refused on the very next request', async ({ client }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(200)
    ;(await client.delete('/api/v1/auth/session').bearerToken(token)).assertStatus(204)
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(401)
  })
})
