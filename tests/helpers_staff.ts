import StaffUser from '#models/staff_user'

export const STAFF_PASSWORD = 'Staff-pass-2026'

export async function createStaff(status: 'active' | 'inactive' = 'active') {
  return StaffUser.create({
    name: 'Sam Support',
    email: `staff.${Math.random().toString(36).slice(2)}@opbx.test`,
    password: STAFF_PASSWORD,
    role: 'support',
    status,
  })
}
