import RingGroupPolicy from '#policies/ring_group_policy'
import RingGroupDirectory from '#services/ring_groups/ring_group_directory'
import { findRingGroup, ringGroupsOf, withMembers } from '#services/ring_groups/ring_group_lookup'
import { listPage } from '#services/shared/listing'
import { paginated } from '#transformers/pagination'
import { serializeRingGroup } from '#transformers/ring_group_transformer'
import {
  createRingGroupValidator,
  listRingGroupsValidator,
  updateRingGroupValidator,
} from '#validators/ring_group'
import { adminResource } from '#controllers/web/admin/resource_controller'

/** The Ring groups page; members come in ring order and are replaced whole on save. */
export default adminResource({
  page: 'ring_groups/index',
  policy: RingGroupPolicy,
  label: (group) => `Ring group ${group.name}`,
  listValidator: listRingGroupsValidator,
  list: async (organization, filters) =>
    paginated(
      await listPage(withMembers(ringGroupsOf(organization)), filters, {
        searchable: ['name'],
        defaultSort: 'name',
      }),
      serializeRingGroup,
    ),
  find: findRingGroup,
  createValidator: createRingGroupValidator,
  updateValidator: updateRingGroupValidator,
  writer: RingGroupDirectory,
  lifecycle: RingGroupDirectory,
  options: ['extensions', 'ringGroups', 'ivrMenus'],
})
