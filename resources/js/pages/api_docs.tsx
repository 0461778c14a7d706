import { Head } from '@inertiajs/react'

type Operation = {
  summary?: string
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[]
  requestBody?: { content?: Record<string, { schema?: object }> }
  responses?: Record<string, { description?: string }>
  security?: unknown[]
}

type Props = {
  document: {
    info: { title: string; version: string; description?: string }
    servers?: { url: string }[]
    paths: Record<string, Record<string, Operation>>
  }
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete']

export default function ApiDocs({ document }: Props) {
  const base = document.servers?.[0]?.url ?? ''
  const paths = Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b))
  return (
    <div className="content api-docs">
      <Head title="API reference" />
      <h1>
        {document.info.title} <span className="muted">v{document.info.version}</span>
      </h1>
      <p>{document.info.description}</p>
      <p className="muted">
        Machine-readable: <a href={`${base}/openapi.json`}>{base}/openapi.json</a>. Authenticate
        with <code>Authorization: Bearer opbx_…</code> from <code>POST {base}/auth/login</code>.
      </p>
      {paths.map(([path, operations]) => (
        <section key={path} className="card endpoint">
          {METHOD_ORDER.filter((m) => operations[m]).map((method) => {
            const op = operations[method]
            return (
              <div key={method} className="operation">
                <h3>
                  <span className={`method method-${method}`}>{method.toUpperCase()}</span>{' '}
                  <code>
                    {base}
                    {path}
                  </code>
                </h3>
                <p>{op.summary}</p>
                {op.parameters && op.parameters.length > 0 && (
                  <p className="muted">
                    Parameters:{' '}
                    {op.parameters
                      .map((p) => `${p.name} (${p.in}${p.required ? ', required' : ''})`)
                      .join(', ')}
                  </p>
                )}
                {op.requestBody?.content && (
                  <p className="muted">Body: {Object.keys(op.requestBody.content).join(', ')}</p>
                )}
                <ul className="responses">
                  {Object.entries(op.responses ?? {}).map(([status, response]) => (
                    <li key={status}>
                      <code>{status}</code> {response.description}
                    </li>
                  ))}
                </ul>
              </div>
            )
          })}
        </section>
      ))}
    </div>
  )
}
