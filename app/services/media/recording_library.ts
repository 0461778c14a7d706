import { DateTime } from 'luxon'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type Organization from '#models/organization'
import Recording from '#models/recording'
import references from '#services/references/reference_registry'
import storage from '#services/storage/storage'
import { type Actor, auditedSave } from '#services/media/audited_save'
import { definedOnly, listPage, type ListFilters } from '#services/shared/listing'
import { storePrompt } from '#services/media/prompt_upload'
import { serializeRecording } from '#transformers/recording_transformer'

type Filters = ListFilters & { kind?: 'upload' | 'remote'; status?: 'active' | 'inactive' }
type Upload = { name: string; file: MultipartFile }

/** An organization's audio prompts; every change is audited in its transaction. */
export default class RecordingLibrary {
  list(organization: Organization, filters: Filters) {
    const query = Recording.query().withScopes((s) => s.forOrganization(organization))
    if (filters.kind) query.where('kind', filters.kind)
    if (filters.status) query.where('status', filters.status)
    return listPage(query, filters, { searchable: ['name'], defaultSort: 'name' })
  }

  /* The file is stored before the row exists, so a failed insert must not leave it behind. */
  async upload(organization: Organization, input: Upload, actor: Actor) {
    const stored = await storePrompt(organization.id, input.file)
    try {
      return await this.#create(organization, { ...stored, name: input.name }, 'upload', actor)
    } catch (error) {
      await storage.delete(stored.storageKey)
      throw error
    }
  }

  remote(organization: Organization, input: { name: string; remoteUrl: string }, actor: Actor) {
    return this.#create(organization, input, 'remote', actor)
  }

  update(recording: Recording, input: Partial<Pick<Recording, 'name' | 'status'>>, actor: Actor) {
    const before = serializeRecording(recording)
    recording.merge(definedOnly(input))
    return this.#save(recording, 'recording.updated', before, actor)
  }

  /**
   * Soft delete, refused while an IVR or greeting still plays it. The stored file stays
   * (a restore brings it back); a retention job is meant to purge long-deleted files.
   */
  async delete(recording: Recording, actor: Actor) {
    const { organizationId, id } = recording
    await references.assertUnreferenced('recording', 'recording', organizationId, id)
    const before = serializeRecording(recording)
    recording.deletedAt = DateTime.now()
    return this.#save(recording, 'recording.deleted', before, actor)
  }

  restore(recording: Recording, actor: Actor) {
    recording.deletedAt = null
    return this.#save(recording, 'recording.restored', null, actor)
  }

  #create(
    organization: Organization,
    values: Partial<Recording>,
    kind: Recording['kind'],
    actor: Actor,
  ) {
    const recording = new Recording()
    recording.merge({ ...values, kind, status: 'active', organizationId: organization.id })
    recording.createdBy = actor.actorUserId
    return this.#save(recording, 'recording.created', null, actor)
  }

  #save(
    recording: Recording,
    action: string,
    before: Record<string, unknown> | null,
    actor: Actor,
  ) {
    const entry = { action, subjectType: 'recording', before }
    return auditedSave(recording, entry, actor, serializeRecording)
  }
}
