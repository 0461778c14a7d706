import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type Organization from '#models/organization'
import Recording from '#models/recording'
import AuditTrail from '#services/audit/audit_trail'
import references from '#services/references/reference_registry'
import storage, { signedFileUrl } from '#services/storage/storage'
import { definedOnly, listPage } from '#services/media/listing'
import { storePrompt } from '#services/media/prompt_upload'
import { serializeRecording } from '#transformers/recording_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
type ListFilters = Parameters<typeof listPage>[1] & {
  kind?: 'upload' | 'remote'
  status?: 'active' | 'inactive'
}
const URL_LIFETIME_MINUTES = 10

/** An organization's audio prompts; every change is audited in its transaction. */
export default class RecordingLibrary {
  list(organization: Organization, filters: ListFilters) {
    const query = Recording.query().withScopes((s) => s.forOrganization(organization))
    if (filters.kind) query.where('kind', filters.kind)
    if (filters.status) query.where('status', filters.status)
    return listPage(query, filters, { searchable: ['name'], defaultSort: 'name' })
  }

  /* The file is stored before the row exists, so a failed insert must not leave it behind. */
  async upload(
    organization: Organization,
    input: { name: string; file: MultipartFile },
    actor: Actor,
  ) {
    const stored = await storePrompt(organization.id, input.file)
    const recording = new Recording()
    recording.merge({
      ...stored,
      name: input.name,
      kind: 'upload',
      organizationId: organization.id,
    })
    try {
      return await this.#create(recording, actor)
    } catch (error) {
      await storage.delete(stored.storageKey)
      throw error
    }
  }

  remote(organization: Organization, input: { name: string; remoteUrl: string }, actor: Actor) {
    const recording = new Recording()
    recording.merge({ ...input, kind: 'remote', organizationId: organization.id })
    return this.#create(recording, actor)
  }

  update(recording: Recording, input: Partial<Pick<Recording, 'name' | 'status'>>, actor: Actor) {
    const before = serializeRecording(recording)
    recording.merge(definedOnly(input))
    return this.#save(recording, 'recording.updated', before, actor)
  }

  /**
   * Soft delete, refused while an IVR or greeting still plays it. The stored file stays
   * (a restore brings it back); the retention job removes files of long-deleted rows.
   */
  async delete(recording: Recording, actor: Actor) {
    await references.assertUnreferenced(
      'recording',
      'recording',
      recording.organizationId,
      recording.id,
    )
    const before = serializeRecording(recording)
    recording.deletedAt = DateTime.now()
    return this.#save(recording, 'recording.deleted', before, actor)
  }

  restore(recording: Recording, actor: Actor) {
    recording.deletedAt = null
    return this.#save(recording, 'recording.restored', null, actor)
  }

  /** Uploads: a signed link to that one file, valid 10 minutes. Remote: the URL itself. */
  playbackUrl(recording: Recording) {
    if (recording.kind === 'remote') return { url: recording.remoteUrl!, expiresAt: null }
    const grant = {
      organizationId: recording.organizationId,
      key: recording.storageKey!,
      mime: recording.mimeType ?? 'application/octet-stream',
      filename: recording.originalFilename ?? `recording-${recording.id}`,
    }
    const expiresAt = DateTime.now().plus({ minutes: URL_LIFETIME_MINUTES })
    return { url: signedFileUrl(grant, `${URL_LIFETIME_MINUTES}m`), expiresAt: expiresAt.toISO() }
  }

  #create(recording: Recording, actor: Actor) {
    recording.status = 'active'
    recording.createdBy = actor.actorUserId
    return this.#save(recording, 'recording.created', null, actor)
  }

  #save(
    recording: Recording,
    action: string,
    before: Record<string, unknown> | null,
    actor: Actor,
  ) {
    recording.updatedBy = actor.actorUserId
    return db.transaction(async (trx) => {
      recording.useTransaction(trx)
      await recording.save()
      const after = recording.deletedAt ? null : serializeRecording(recording)
      const entry = { action, subjectType: 'recording', subjectId: recording.id }
      await AuditTrail.record(actor, { ...entry, before, after }, trx)
      return recording
    })
  }
}
