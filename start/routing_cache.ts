/*
 * Model hooks that keep the routing cache honest (app/services/voice/routing_cache.ts):
 * every save or delete of something a routing decision reads bumps the generation of its
 * organization, after the commit when it happens inside a transaction. Writes that bypass
 * models (bulk replaces of members, options, schedule ranges) call routingChanged
 * themselves in their services.
 */
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import Organization from '#models/organization'
import OrganizationSetting from '#models/organization_setting'
import WebhookSecret from '#models/webhook_secret'
import PhoneNumber from '#models/phone_number'
import Extension from '#models/extension'
import RingGroup from '#models/ring_group'
import RingGroupMember from '#models/ring_group_member'
import IvrMenu from '#models/ivr_menu'
import IvrMenuOption from '#models/ivr_menu_option'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import BusinessHoursRule from '#models/business_hours_rule'
import BusinessHoursException from '#models/business_hours_exception'
import ConferenceRoom from '#models/conference_room'
import VoicemailBox from '#models/voicemail_box'
import { routingChanged } from '#services/voice/routing_cache'

type Row = LucidRow & { organizationId?: number; id?: number }

function watch(model: LucidModel, options: { directory?: boolean; isOrganization?: boolean }) {
  const handler = async (row: Row) => {
    const organizationId = options.isOrganization ? row.id : row.organizationId
    if (typeof organizationId !== 'number') return
    await routingChanged(
      { organizationIds: [organizationId], directory: options.directory },
      row.$trx,
    )
  }
  model.after('save', handler)
  model.after('delete', handler)
}

/* Which tenant a number or domain belongs to: the cross-tenant directory as well. */
watch(Organization, { isOrganization: true, directory: true })
watch(OrganizationSetting, { directory: true })
watch(PhoneNumber, { directory: true })

for (const model of [
  WebhookSecret,
  Extension,
  RingGroup,
  RingGroupMember,
  IvrMenu,
  IvrMenuOption,
  BusinessHoursSchedule,
  BusinessHoursRule,
  BusinessHoursException,
  ConferenceRoom,
  VoicemailBox,
]) {
  watch(model, {})
}
