import type { Assert } from '@japa/assert'
import type { ApiClient, ApiRequest } from '@japa/api-client'

/*
 * The two checks every tenancy spec makes, for any resource: another organization's ids
 * are a plain 404 that discloses nothing, and lists never show another organization's rows.
 */

export async function assertEachNotFound(
  assert: Assert,
  requests: ApiRequest[],
  token: string,
  undisclosed: string[] = [],
) {
  for (const request of requests) {
    const response = await request.bearerToken(token)
    assert.equal(response.status(), 404, response.text())
    assert.equal(response.body().error.code, 'E_NOT_FOUND')
    for (const text of undisclosed) assert.notInclude(response.text(), text)
  }
}

/** The list, trashed rows included, holds exactly `ids`; a search for `foreignTerm` finds none. */
export async function assertListHoldsOnly(
  client: ApiClient,
  assert: Assert,
  url: string,
  token: string,
  ids: number[],
  foreignTerm = 'Foreign',
) {
  const all = await client.get(url).qs({ perPage: 100, trashed: 'with' }).bearerToken(token)
  assert.deepEqual(
    all.body().data.map((row: { id: number }) => row.id),
    ids,
  )
  const search = await client
    .get(url)
    .qs({ search: foreignTerm, trashed: 'with' })
    .bearerToken(token)
  assert.lengthOf(search.body().data, 0)
}
