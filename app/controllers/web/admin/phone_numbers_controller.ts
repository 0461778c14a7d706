import PhoneNumberPolicy from '#policies/phone_number_policy'
import PhoneNumberWriter from '#services/phone_numbers/phone_number_writer'
import PhoneNumberLifecycle from '#services/phone_numbers/phone_number_lifecycle'
import { findPhoneNumber } from '#services/phone_numbers/phone_number_lookup'
import { listPhoneNumbers } from '#services/phone_numbers/phone_number_listing'
import {
  createPhoneNumberValidator,
  listPhoneNumbersValidator,
  updatePhoneNumberValidator,
} from '#validators/phone_number'
import { adminResource } from '#controllers/web/admin/resource_controller'

/** The Phone numbers page: which DID rings where. Same services as /api/v1/phone-numbers. */
export default adminResource({
  page: 'phone_numbers/index',
  policy: PhoneNumberPolicy,
  label: (row) => row.number,
  listValidator: listPhoneNumbersValidator,
  list: listPhoneNumbers,
  find: findPhoneNumber,
  createValidator: createPhoneNumberValidator,
  updateValidator: updatePhoneNumberValidator,
  updateMeta: (row) => ({ currentNumber: row.number }),
  writer: PhoneNumberWriter,
  lifecycle: PhoneNumberLifecycle,
  options: ['extensions', 'ringGroups', 'ivrMenus', 'businessHours', 'conferenceRooms', 'trunks'],
})
