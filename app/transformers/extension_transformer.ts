import type Extension from '#models/extension'

/** The API shape of an extension: never the SIP password (shown once, at creation/rotation). */
export function serializeExtension(extension: Extension) {
  const user = extension.$preloaded.user as Extension['user'] | null | undefined
  return {
    id: extension.id,
    organizationId: extension.organizationId,
    number: extension.number,
    name: extension.name,
    type: extension.type,
    status: extension.status,
    userId: extension.userId,
    user: user ? { id: user.id, name: user.name, email: user.email } : null,
    configuration: extension.configuration ?? {},
    sipUsername: extension.sipUsername,
    sipUri: extension.sipUri,
    hasSipUri: extension.hasSipUri,
    voicemailEnabled: extension.voicemailEnabled,
    dndEnabled: extension.dndEnabled,
    forwarding: extension.forwarding,
    followMe: extension.followMe,
    createdAt: extension.createdAt.toISO(),
    updatedAt: extension.updatedAt.toISO(),
    deletedAt: extension.deletedAt?.toISO() ?? null,
  }
}
