import vine from '@vinejs/vine'
import { dateBound } from '#validators/rules/date_bound'

export const auditFiltersValidator = vine.create({
  page: vine.number().withoutDecimals().min(1).optional(),
  action: vine
    .string()
    .trim()
    .regex(/^[a-z0-9_.]{1,100}$/)
    .optional(),
  actorUserId: vine.number().withoutDecimals().min(1).optional(),
  from: dateBound('start').optional(),
  to: dateBound('end', 'from').optional(),
})
