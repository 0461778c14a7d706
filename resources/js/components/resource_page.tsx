import { Head } from '@inertiajs/react'
import { Fragment, type ReactNode } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import { useEditor } from '~/components/editor_panel'
import { bind, type BindableForm } from '~/components/form_bindings'
import type { Abilities, ListFilters, Options, Paginated } from '~/components/admin_types'

export type Column<Row> = {
  header: string
  cell: (row: Row) => ReactNode
  className?: (row: Row) => string
}

export type Editor<Row> = ReturnType<typeof useEditor<Row>>

/** What a page's create/edit form receives: the row (null: a new one) and how to close. */
export type EditorFormProps<Row> = { row: Row | null; options: Options; onClose: () => void }

type Props<Row extends { id: number }> = {
  title: string
  path: string
  /** Plural, lower case: "ring groups". */
  noun: string
  rows: Paginated<Row>
  filters: ListFilters
  can: Abilities
  /** The "New …" button; without it the page creates nothing from its header. */
  newLabel?: string
  emptyHint: string
  columns: Column<Row>[]
  /** How a row is named in labels and confirmations ("ring group Sales"). */
  rowName: (row: Row) => string
  deleteMessage: string
  testId: string
  /** The create/edit form for the editor's state, or null when it is closed. */
  renderEditor: (editor: Editor<Row>) => ReactNode
  /** Replaces the standard Edit/Delete/Restore actions of a row. */
  actions?: (row: Row, editor: Editor<Row>) => ReactNode
  /** More actions of a live row, between Edit and Delete. */
  rowExtra?: (row: Row) => ReactNode
  /** Shown above the page (e.g. a one-time dialog) and below the table (e.g. a form). */
  before?: ReactNode
  after?: (editor: Editor<Row>) => ReactNode
}

/**
 * The frame every admin resource page shares: heading with its "New" button, search and
 * live/deleted switch, the editor, the table (or why it is empty), and the pager. Buttons
 * are offered only as the policy abilities (`can`) allow; the server checks again.
 */
export function ResourcePage<Row extends { id: number }>(props: Props<Row>) {
  const { title, path, noun, rows, filters, can, columns, testId } = props
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title={title} />
      {props.before}
      <div className="page-head">
        <h1>{title}</h1>
        {props.newLabel && can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            {props.newLabel}
          </button>
        )}
      </div>
      <ResourceToolbar
        path={path}
        filters={filters}
        placeholder={`Search ${noun}`}
        canRestore={can.restore}
      />
      {/* Keyed by row: switching rows starts a fresh form. */}
      {editor.isOpen && (
        <Fragment key={editor.row?.id ?? 'new'}>{props.renderEditor(editor)}</Fragment>
      )}
      {rows.data.length === 0 ? (
        <EmptyState filters={filters} noun={noun} canCreate={can.create} hint={props.emptyHint} />
      ) : (
        <div className="table-scroll">
          <table className="grid" data-testid={testId}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} scope="col">
                    {column.header}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((row) => (
                <tr key={row.id}>
                  {columns.map((column) => (
                    <td key={column.header} className={column.className?.(row)}>
                      {column.cell(row)}
                    </td>
                  ))}
                  <td>
                    {props.actions ? (
                      props.actions(row, editor)
                    ) : (
                      <RowActions
                        path={path}
                        id={row.id}
                        name={props.rowName(row)}
                        trashed={trashed}
                        can={can}
                        onEdit={() => editor.edit(row)}
                        deleteMessage={props.deleteMessage}
                      >
                        {props.rowExtra?.(row)}
                      </RowActions>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path={path} filters={filters} meta={rows.meta} noun={noun} />
      {props.after?.(editor)}
    </AppLayout>
  )
}

/** The active/inactive switch most resources have, bound to the form's `status`. */
export function StatusField({ form, error }: { form: BindableForm; error?: string }) {
  return (
    <Field label="Status" error={error}>
      <select {...bind(form, 'status')}>
        <option value="active">Active</option>
        <option value="inactive">Inactive</option>
      </select>
    </Field>
  )
}

/** The optional free-text description most resources have. */
export function DescriptionField({ form, error }: { form: BindableForm; error?: string }) {
  return (
    <Field label="Description" error={error}>
      <input {...bind(form, 'description')} />
    </Field>
  )
}

/** A status cell: inactive rows stand out. */
export const statusColumn = <Row extends { status: string }>(): Column<Row> => ({
  header: 'Status',
  cell: (row) => row.status,
  className: (row) => `status-${row.status}`,
})
