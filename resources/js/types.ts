/** Props every page receives from the server (app/middleware/inertia_middleware.ts). */
export type SharedProps = {
  errors: Record<string, string>
  flash: { error: string | null; success: string | null }
  currentUser: {
    id: number
    name: string
    email: string
    role: 'owner' | 'pbx_admin' | 'pbx_user' | 'reporter'
    passwordResetRequired: boolean
  } | null
  organization: { id: number; name: string; slug: string } | null
  impersonation: { staffName: string; reason: string } | null
  can: Record<string, boolean>
  build: { version: string; commit: string } | null
}

export const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  pbx_admin: 'PBX admin',
  pbx_user: 'PBX user',
  reporter: 'Reporter',
}
