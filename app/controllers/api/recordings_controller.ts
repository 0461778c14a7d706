import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Recording from '#models/recording'
import RecordingPolicy from '#policies/recording_policy'
import AuditTrail from '#services/audit/audit_trail'
import RecordingLibrary from '#services/media/recording_library'
import { playbackUrl } from '#services/media/prompt_url'
import { paginated } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { serializeRecording } from '#transformers/recording_transformer'
import {
  listRecordingsValidator,
  remoteRecordingValidator,
  updateRecordingValidator,
  uploadRecordingValidator,
} from '#validators/recording'

@inject()
export default class RecordingsController {
  constructor(protected library: RecordingLibrary) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(RecordingPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listRecordingsValidator, { data: request.qs() })
    return paginated(await this.library.list(organization, filters), serializeRecording)
  }

  /** multipart/form-data uploads a file; a JSON body with `remoteUrl` links a remote prompt. */
  async store(ctx: HttpContext) {
    await ctx.bouncer.with(RecordingPolicy).authorize('create')
    const actor = AuditTrail.fromRequest(ctx)
    const recording = ctx.request.is(['multipart'])
      ? await this.library.upload(
          ctx.organization,
          await ctx.request.validateUsing(uploadRecordingValidator),
          actor,
        )
      : await this.library.remote(
          ctx.organization,
          await ctx.request.validateUsing(remoteRecordingValidator),
          actor,
        )
    return ctx.response.created({ data: serializeRecording(recording) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const recording = await this.#find(organization, params.id, false)
    await bouncer.with(RecordingPolicy).authorize('view', recording)
    return { data: serializeRecording(recording) }
  }

  /** The only way to a stored file: a signed URL that expires. */
  async url({ params, organization, bouncer }: HttpContext) {
    const recording = await this.#find(organization, params.id, false)
    await bouncer.with(RecordingPolicy).authorize('view', recording)
    return { data: playbackUrl(recording) }
  }

  async update(ctx: HttpContext) {
    const recording = await this.#find(ctx.organization, ctx.params.id, false)
    await ctx.bouncer.with(RecordingPolicy).authorize('update', recording)
    const input = await ctx.request.validateUsing(updateRecordingValidator)
    const updated = await this.library.update(recording, input, AuditTrail.fromRequest(ctx))
    return { data: serializeRecording(updated) }
  }

  async destroy(ctx: HttpContext) {
    const recording = await this.#find(ctx.organization, ctx.params.id, false)
    await ctx.bouncer.with(RecordingPolicy).authorize('delete', recording)
    await this.library.delete(recording, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }

  async restore(ctx: HttpContext) {
    const recording = await this.#find(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(RecordingPolicy).authorize('restore', recording)
    const restored = await this.library.restore(recording, AuditTrail.fromRequest(ctx))
    return { data: serializeRecording(restored) }
  }

  /** Tenant-rooted: another organization's id is simply not found (404). */
  #find(organization: HttpContext['organization'], id: unknown, deleted: boolean) {
    const query = Recording.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('id', idParam(id))
    if (deleted) query.whereNotNull('deleted_at')
    else query.whereNull('deleted_at')
    return query.firstOrFail()
  }
}
