import { Head, Link, usePage } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import type { SharedProps } from '~/types'

type Props = { status: 403 | 404 }

const TEXT = {
  403: {
    title: 'Not allowed',
    body: 'Your role does not give access to this page. An owner or PBX admin of your organization can change that.',
  },
  404: {
    title: 'Page not found',
    body: 'There is nothing at this address, or it was deleted.',
  },
} as const

/**
 * What a browser gets for a page it may not see or that does not exist (production status
 * pages of the exception handler): the console's own frame with its navigation, so the way
 * back is one click, instead of a bare line of text.
 */
export default function StatusPage({ status }: Props) {
  const { currentUser } = usePage<SharedProps>().props
  const text = TEXT[status] ?? TEXT[404]
  const body = (
    <section className="card" data-testid="status-page">
      <h1>{text.title}</h1>
      <p>{text.body}</p>
      <p>
        {currentUser ? <Link href="/">Back to the dashboard</Link> : <a href="/login">Sign in</a>}
      </p>
    </section>
  )
  return (
    <>
      <Head title={text.title} />
      {currentUser ? <AppLayout>{body}</AppLayout> : <main className="content">{body}</main>}
    </>
  )
}
