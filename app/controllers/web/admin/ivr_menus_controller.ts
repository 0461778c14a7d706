import IvrMenuPolicy from '#policies/ivr_menu_policy'
import IvrMenuWriter from '#services/ivr/ivr_menu_writer'
import IvrMenuLifecycle from '#services/ivr/ivr_menu_lifecycle'
import { findMenu, listMenus } from '#services/ivr/ivr_menu_lookup'
import { paginated } from '#transformers/pagination'
import { serializeIvrMenu } from '#transformers/ivr_menu_transformer'
import {
  createIvrMenuValidator,
  listIvrMenusValidator,
  updateIvrMenuValidator,
} from '#validators/ivr_menu'
import { adminResource } from '#controllers/web/admin/resource_controller'

/** The IVR menus page: prompt, key options with their targets, failover. */
export default adminResource({
  page: 'ivr_menus/index',
  policy: IvrMenuPolicy,
  label: (menu) => `IVR menu ${menu.name}`,
  listValidator: listIvrMenusValidator,
  list: async (organization, filters) =>
    paginated(await listMenus(organization, filters), serializeIvrMenu),
  find: findMenu,
  createValidator: createIvrMenuValidator,
  updateValidator: updateIvrMenuValidator,
  writer: IvrMenuWriter,
  lifecycle: IvrMenuLifecycle,
  options: ['extensions', 'ringGroups', 'ivrMenus', 'conferenceRooms', 'recordings'],
})
