import vine from '@vinejs/vine'
import { OUTBOUND_RULE_KINDS } from '#enums/trunks'
import { listValidator } from '#validators/helpers/listing'
import { uniqueInOrganization, type OrganizationMeta } from '#validators/helpers/organization'

/* An E.164 prefix: "+" then a country code digit, up to 15 digits ("+44", "+1900", "+882"). */
const prefix = () =>
  vine
    .string()
    .trim()
    .regex(/^\+[1-9]\d{0,14}$/)
    .use(
      uniqueInOrganization({
        table: 'outbound_rules',
        column: 'prefix',
        message: 'A rule for this prefix already exists in your organization',
      }),
    )

export const createOutboundRuleValidator = vine.withMetaData<OrganizationMeta>().create({
  kind: vine.enum(OUTBOUND_RULE_KINDS),
  prefix: prefix(),
  description: vine.string().trim().maxLength(255).nullable().optional(),
})

export const updateOutboundRuleValidator = vine.withMetaData<OrganizationMeta>().create({
  kind: vine.enum(OUTBOUND_RULE_KINDS).optional(),
  prefix: prefix().optional(),
  description: vine.string().trim().maxLength(255).nullable().optional(),
})

export const listOutboundRulesValidator = listValidator(['prefix', 'kind', 'created_at'], {
  kind: vine.enum(OUTBOUND_RULE_KINDS).optional(),
})
