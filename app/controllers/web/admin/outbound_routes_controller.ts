import OutboundRoute from '#models/outbound_route'
import OutboundRoutePolicy from '#policies/outbound_route_policy'
import OutboundRouteDirectory from '#services/trunks/outbound_route_directory'
import { listPage } from '#services/shared/listing'
import { paginated } from '#transformers/pagination'
import { serializeOutboundRoute } from '#transformers/trunk_transformer'
import {
  createOutboundRouteValidator,
  listOutboundRoutesValidator,
  updateOutboundRouteValidator,
} from '#validators/outbound_route'
import { findOutboundRoute } from '#controllers/api/outbound_routes_controller'
import { adminResource } from '#controllers/web/admin/resource_controller'

/** The Outbound routes page: dialled prefix → trunks in failover order. */
export default adminResource({
  page: 'outbound_routes/index',
  policy: OutboundRoutePolicy,
  label: (route) => `Route ${route.name}`,
  listValidator: listOutboundRoutesValidator,
  list: async (organization, filters) =>
    paginated(
      await listPage(
        OutboundRoute.query()
          .withScopes((s) => s.forOrganization(organization))
          .preload('trunks'),
        filters,
        { searchable: ['name', 'prefix'], defaultSort: 'priority' },
      ),
      serializeOutboundRoute,
    ),
  find: findOutboundRoute,
  createValidator: createOutboundRouteValidator,
  updateValidator: updateOutboundRouteValidator,
  writer: OutboundRouteDirectory,
  lifecycle: OutboundRouteDirectory,
  options: ['trunks'],
})
