import type RingGroup from '#models/ring_group'
import type RingGroupMember from '#models/ring_group_member'

/* The member's extension when preloaded (a deleted one is reported as null). */
function serializeMember(member: RingGroupMember) {
  const extension = member.$preloaded.extension as RingGroupMember['extension'] | undefined
  return {
    id: member.id,
    extensionId: member.extensionId,
    priority: member.priority,
    extension:
      extension && !extension.deletedAt
        ? {
            id: extension.id,
            number: extension.number,
            name: extension.name,
            status: extension.status,
          }
        : null,
  }
}

/** The API shape of a ring group; expects `members` (with their extensions) preloaded. */
export function serializeRingGroup(group: RingGroup) {
  const members = (group.$preloaded.members as RingGroupMember[] | undefined) ?? []
  return {
    id: group.id,
    organizationId: group.organizationId,
    name: group.name,
    description: group.description,
    strategy: group.strategy,
    timeout: group.timeout,
    ringTurns: group.ringTurns,
    fallbackAction: group.fallbackAction,
    fallbackTargetId: group.fallbackTargetId,
    status: group.status,
    members: members.map(serializeMember),
    createdAt: group.createdAt.toISO(),
    updatedAt: group.updatedAt.toISO(),
    deletedAt: group.deletedAt?.toISO() ?? null,
  }
}
