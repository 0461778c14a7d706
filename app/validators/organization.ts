import vine from '@vinejs/vine'

const TIMEZONES = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'))

export const updateOrganizationValidator = vine.create({
  name: vine.string().trim().minLength(2).maxLength(120).optional(),
  timezone: vine
    .string()
    .trim()
    .use(
      vine.createRule((value, _options, field) => {
        if (typeof value === 'string' && !TIMEZONES.has(value)) {
          field.report('The timezone must be an IANA zone such as Europe/Paris', 'timezone', field)
        }
      })(),
    )
    .optional(),
})
