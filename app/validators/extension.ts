import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import type { FieldContext } from '@vinejs/vine/types'
import {
  existsInOrganization,
  uniqueInOrganization,
  type OrganizationMeta,
} from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'
import {
  EXTENSION_STATUSES,
  EXTENSION_TYPES,
  RECORD_CALLS,
  type ExtensionType,
} from '#enums/extensions'

export const E164 = /^\+[1-9]\d{1,14}$/
const SIP_URI = /^sips?:([^\s@:;]+@)?[A-Za-z0-9.-]+(:\d{1,5})?(;\S*)?$/
const INTERNAL_NUMBER = /^\d{2,6}$/
const INT4_MAX = 2_147_483_647

/** currentType: the stored type on update, so a configuration is checked against it. */
export type ExtensionMeta = OrganizationMeta & { currentType?: ExtensionType }

/** For fields that make no sense in this context: sending one is an error, not ignored. */
const prohibited = vine.createRule(
  (value: unknown, options: { message: string }, field: FieldContext) => {
    if (value !== undefined && value !== null) field.report(options.message, 'prohibited', field)
  },
)
const notAllowed = (message: string) => vine.any().optional().use(prohibited({ message }))

/**
 * Where a call may be sent: an E.164 number, a SIP URI, or the number of a live extension
 * of the same organization (checked, so a typo does not silently drop calls).
 */
const destinationRule = vine.createRule(async (value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value !== 'string' || !field.isValid) return
  if (E164.test(value) || SIP_URI.test(value)) return
  if (!INTERNAL_NUMBER.test(value)) {
    field.report(
      'The {{ field }} must be an E.164 number, a SIP URI or an extension number',
      'destination',
      field,
    )
    return
  }
  const { organizationId } = field.meta as OrganizationMeta
  const row = await db
    .from('extensions')
    .where('organization_id', organizationId)
    .where('number', value)
    .whereNull('deleted_at')
    .first()
  if (!row) field.report('No extension of your organization has this number', 'destination', field)
})
export const destination = () => vine.string().trim().maxLength(255).use(destinationRule())

const rowId = () => vine.number().withoutDecimals().min(1).max(INT4_MAX)
const sipUri = () => vine.string().trim().maxLength(255).regex(SIP_URI).optional()

/* extensions.configuration per type (snake_case keys, as the routing engine reads them). */
const configurations = {
  user: () => vine.object({ record_calls: vine.enum(RECORD_CALLS).optional() }),
  conference: () =>
    vine.object({
      conference_room_id: rowId().use(existsInOrganization({ table: 'conference_rooms' })),
      sip_uri: sipUri(),
    }),
  ring_group: () =>
    vine.object({
      ring_group_id: rowId().use(existsInOrganization({ table: 'ring_groups' })),
      sip_uri: sipUri(),
    }),
  ivr: () =>
    vine.object({
      ivr_menu_id: rowId().use(existsInOrganization({ table: 'ivr_menus' })),
      sip_uri: sipUri(),
    }),
  ai_assistant: () =>
    vine.object({
      provider: vine.string().trim().minLength(1).maxLength(100),
      phone_number: vine.string().trim().regex(E164),
      sip_uri: sipUri(),
    }),
  forward: () => vine.object({ forward_to: destination(), sip_uri: sipUri() }),
} satisfies Record<ExtensionType, unknown>

const sipUsername = () =>
  vine
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{2,64}$/)
    .use(uniqueInOrganization({ table: 'extensions', column: 'sip_username' }))

/** Type-specific fields; `configurationRequired` is false on an update that keeps the type. */
function typeFields(type: ExtensionType, configurationRequired: boolean) {
  const configuration = configurations[type]()
  const config = configurationRequired ? configuration : configuration.optional()
  if (type === 'user') {
    return {
      configuration: configuration.optional(),
      userId: rowId()
        .use(existsInOrganization({ table: 'users' }))
        .nullable()
        .optional(),
      sipUsername: sipUsername().optional(),
      sipPassword: vine.string().minLength(16).maxLength(64).optional(),
    }
  }
  const onlyUser = notAllowed('Only user extensions have a {{ field }}')
  return { configuration: config, userId: onlyUser, sipUsername: onlyUser, sipPassword: onlyUser }
}

const typeSent = (data: Record<string, unknown>) => data.type !== undefined && data.type !== null

/**
 * Create: the configuration is checked against the type sent. Update: against the new
 * type when one is sent (then a configuration is required too), else the stored type.
 */
const createGroup = vine
  .group(
    EXTENSION_TYPES.map((type) =>
      vine.group.if((data) => data.type === type, typeFields(type, type !== 'user')),
    ),
  )
  .otherwise(() => {})

const updateGroup = vine
  .group([
    ...EXTENSION_TYPES.map((type) =>
      vine.group.if((data) => data.type === type, typeFields(type, type !== 'user')),
    ),
    ...EXTENSION_TYPES.map((type) =>
      vine.group.if(
        (data, field) => !typeSent(data) && (field.meta as ExtensionMeta).currentType === type,
        typeFields(type, false),
      ),
    ),
  ])
  .otherwise(() => {})

/* Voicemail answers calls for a person: only user extensions have a box. */
const voicemailOnlyForUsers = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  const sent = (field.parent as Record<string, unknown>)?.type
  const type = sent ?? (field.meta as ExtensionMeta).currentType
  if (value === true && type !== 'user')
    field.report('Only user extensions can have voicemail', 'voicemailOnlyForUsers', field)
})
const voicemailEnabled = () => vine.boolean().optional().use(voicemailOnlyForUsers())

export const createExtensionValidator = vine.withMetaData<ExtensionMeta>().compile(
  vine
    .object({
      number: vine
        .string()
        .trim()
        .regex(/^\d{2,6}$/)
        .use(uniqueInOrganization({ table: 'extensions', column: 'number' })),
      name: vine.string().trim().minLength(1).maxLength(120),
      type: vine.enum(EXTENSION_TYPES),
      status: vine.enum(EXTENSION_STATUSES).optional(),
      voicemailEnabled: voicemailEnabled(),
    })
    .merge(createGroup),
)

export const updateExtensionValidator = vine.withMetaData<ExtensionMeta>().compile(
  vine
    .object({
      number: notAllowed('The number of an extension cannot change: create a new extension'),
      name: vine.string().trim().minLength(1).maxLength(120).optional(),
      type: vine.enum(EXTENSION_TYPES).optional(),
      status: vine.enum(EXTENSION_STATUSES).optional(),
      voicemailEnabled: voicemailEnabled(),
    })
    .merge(updateGroup),
)

export const listExtensionsValidator = listValidator(['number', 'name', 'type', 'created_at'], {
  type: vine.enum(EXTENSION_TYPES).optional(),
  status: vine.enum(EXTENSION_STATUSES).optional(),
  userId: rowId().optional(),
})

const enabledIn = (field: FieldContext) =>
  [true, 'true', 1, '1', 'on'].includes((field.parent as Record<string, unknown>)?.enabled as never)

const forwardingRuleFields = () => ({
  enabled: vine.boolean(),
  destination: destination()
    .nullable()
    .optional()
    .requiredWhen((field) => enabledIn(field)),
})

/** PUT semantics: a condition left out is switched off. */
export const forwardingValidator = vine.withMetaData<OrganizationMeta>().compile(
  vine.object({
    always: vine.object(forwardingRuleFields()).optional(),
    busy: vine.object(forwardingRuleFields()).optional(),
    noAnswer: vine
      .object({
        ...forwardingRuleFields(),
        timeoutSeconds: vine.number().withoutDecimals().range([5, 120]).optional(),
      })
      .optional(),
    unreachable: vine.object(forwardingRuleFields()).optional(),
  }),
)

const atLeastOneWhenEnabled = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (Array.isArray(value) && value.length === 0 && enabledIn(field))
    field.report('Follow-me needs at least one number to be enabled', 'followMeEmpty', field)
})

export const followMeValidator = vine.withMetaData<OrganizationMeta>().compile(
  vine.object({
    enabled: vine.boolean(),
    numbers: vine
      .array(
        vine.object({
          number: destination(),
          ringSeconds: vine.number().withoutDecimals().range([5, 120]),
        }),
      )
      .maxLength(10)
      .use(atLeastOneWhenEnabled()),
  }),
)
