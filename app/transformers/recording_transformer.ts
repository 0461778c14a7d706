import type Recording from '#models/recording'

/** Never the storage key: the only way to a stored file is a signed URL (GET …/url). */
export function serializeRecording(recording: Recording) {
  return {
    id: recording.id,
    organizationId: recording.organizationId,
    name: recording.name,
    kind: recording.kind,
    status: recording.status,
    originalFilename: recording.originalFilename ?? null,
    mimeType: recording.mimeType ?? null,
    size: recording.size ?? null,
    durationSeconds: recording.durationSeconds ?? null,
    remoteUrl: recording.remoteUrl ?? null,
    createdBy: recording.createdBy ?? null,
    updatedBy: recording.updatedBy ?? null,
    createdAt: recording.createdAt.toISO(),
    updatedAt: recording.updatedAt.toISO(),
    deletedAt: recording.deletedAt?.toISO() ?? null,
  }
}
