import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Recording from '#models/recording'
import RecordingPolicy from '#policies/recording_policy'
import AuditTrail from '#services/audit/audit_trail'
import RecordingLibrary from '#services/media/recording_library'
import { playbackUrl } from '#services/media/prompt_url'
import { findInOrganization } from '#services/shared/tenant_rows'
import { paginated } from '#transformers/pagination'
import { serializeRecording } from '#transformers/recording_transformer'
import {
  listRecordingsValidator,
  updateRecordingValidator,
  uploadRecordingValidator,
} from '#validators/recording'
import { abilitiesOf, done } from '#controllers/web/admin/admin_page'

/* Uploads play from a same-origin signed path (the page's CSP allows media from 'self'). */
function withPlayback(recording: Recording) {
  const data = serializeRecording(recording)
  if (recording.kind !== 'upload') return { ...data, playUrl: null }
  return { ...data, playUrl: new URL(playbackUrl(recording).url, 'http://local').pathname }
}

/**
 * The Prompts page: audio files played by IVR menus and greetings. The upload is posted by
 * XMLHttpRequest (for its progress events) and answered in JSON; the rest are Inertia forms.
 */
@inject()
export default class AdminPromptsController {
  constructor(protected library: RecordingLibrary) {}

  async index({ inertia, request, organization, bouncer }: HttpContext) {
    await bouncer.with(RecordingPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listRecordingsValidator, { data: request.qs() })
    const page = await this.library.list(organization, filters)
    return inertia.render('prompts/index', {
      rows: paginated(page, (row) => (row.deletedAt ? serializeRecording(row) : withPlayback(row))),
      filters: { search: filters.search ?? '', trashed: filters.trashed ?? null },
      can: await abilitiesOf(bouncer, RecordingPolicy),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(RecordingPolicy).authorize('create')
    const input = await ctx.request.validateUsing(uploadRecordingValidator)
    const recording = await this.library.upload(
      ctx.organization,
      input,
      AuditTrail.fromRequest(ctx),
    )
    ctx.session.flash('success', `Prompt ${recording.name} uploaded.`)
    return ctx.response.created({ data: serializeRecording(recording) })
  }

  async update(ctx: HttpContext) {
    const recording = await findInOrganization(Recording, ctx.organization, ctx.params.id)
    await ctx.bouncer.with(RecordingPolicy).authorize('update', recording)
    const input = await ctx.request.validateUsing(updateRecordingValidator)
    await this.library.update(recording, input, AuditTrail.fromRequest(ctx))
    return done(ctx, `Prompt ${recording.name} saved.`)
  }

  async destroy(ctx: HttpContext) {
    const recording = await findInOrganization(Recording, ctx.organization, ctx.params.id)
    await ctx.bouncer.with(RecordingPolicy).authorize('delete', recording)
    await this.library.delete(recording, AuditTrail.fromRequest(ctx))
    return done(ctx, `Prompt ${recording.name} deleted.`)
  }

  async restore(ctx: HttpContext) {
    const recording = await findInOrganization(Recording, ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(RecordingPolicy).authorize('restore', recording)
    await this.library.restore(recording, AuditTrail.fromRequest(ctx))
    return done(ctx, `Prompt ${recording.name} restored.`)
  }
}
