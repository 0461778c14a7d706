import Trunk from '#models/trunk'
import TrunkPolicy from '#policies/trunk_policy'
import TrunkDirectory from '#services/trunks/trunk_directory'
import { listPage } from '#services/shared/listing'
import { paginated } from '#transformers/pagination'
import { serializeTrunk } from '#transformers/trunk_transformer'
import { createTrunkValidator, listTrunksValidator, updateTrunkValidator } from '#validators/trunk'
import { findTrunk } from '#controllers/api/trunks_controller'
import { adminResource } from '#controllers/web/admin/resource_controller'

/** The Trunks page; passwords are write-only (kept when left empty on edit). */
export default adminResource({
  page: 'trunks/index',
  policy: TrunkPolicy,
  label: (trunk) => `Trunk ${trunk.name}`,
  listValidator: listTrunksValidator,
  list: async (organization, filters) =>
    paginated(
      await listPage(
        Trunk.query().withScopes((s) => s.forOrganization(organization)),
        filters,
        {
          searchable: ['name', 'host'],
          defaultSort: 'priority',
        },
      ),
      serializeTrunk,
    ),
  find: findTrunk,
  createValidator: createTrunkValidator,
  updateValidator: updateTrunkValidator,
  writer: TrunkDirectory,
  lifecycle: TrunkDirectory,
})
