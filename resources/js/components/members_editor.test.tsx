import { describe, expect, it } from 'vitest'
import { useState } from 'react'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach } from 'vitest'
import { MembersEditor, moveItem, withPriorities, type Member } from '~/components/members_editor'
import type { ExtensionOption } from '~/components/admin_types'

const ext = (id: number, number: string, name: string, extra: Partial<ExtensionOption> = {}) => ({
  id,
  number,
  name,
  type: 'user',
  status: 'active',
  voicemailEnabled: false,
  ...extra,
})
const EXTENSIONS: ExtensionOption[] = [
  ext(1, '201', 'Ann'),
  ext(2, '202', 'Bob'),
  ext(3, '203', 'Cid'),
  ext(4, '204', 'Dee', { status: 'inactive' }),
  ext(5, '900', 'Sales alias', { type: 'ring_group' }),
  ext(6, '205', 'Eve'),
]

/* The editor is controlled: the harness keeps the list, as the page's form does. */
function Harness({ initial, errors }: { initial: Member[]; errors?: Record<string, string> }) {
  const [members, setMembers] = useState(initial)
  return (
    <>
      <MembersEditor
        members={members}
        onChange={setMembers}
        extensions={EXTENSIONS}
        errors={errors}
      />
      <output data-testid="payload">{JSON.stringify(withPriorities(members))}</output>
    </>
  )
}

const order = () =>
  screen.getAllByRole('listitem').map((li) => li.querySelector('.member-name')!.textContent)
const payload = () => JSON.parse(screen.getByTestId('payload').textContent!)

afterEach(cleanup)

describe('members reorder', () => {
  it('moves a member with the keyboard-accessible up/down buttons and keeps focus on it', async () => {
    render(<Harness initial={[{ extensionId: 1 }, { extensionId: 2 }, { extensionId: 3 }]} />)
    expect(order()).toEqual(['201 Ann', '202 Bob', '203 Cid'])
    expect(
      (screen.getByRole('button', { name: 'Move 201 Ann up' }) as HTMLButtonElement).disabled,
    ).toBe(true)
    expect(
      (screen.getByRole('button', { name: 'Move 203 Cid down' }) as HTMLButtonElement).disabled,
    ).toBe(true)

    fireEvent.click(screen.getByRole('button', { name: 'Move 203 Cid up' }))
    expect(order()).toEqual(['201 Ann', '203 Cid', '202 Bob'])
    await waitFor(() =>
      expect(document.activeElement?.getAttribute('aria-label')).toBe('Move 203 Cid up'),
    )
    expect(screen.getByTestId('order-announcement').textContent).toBe(
      '203 Cid moved to position 2 of 3',
    )

    fireEvent.click(screen.getByRole('button', { name: 'Move 201 Ann down' }))
    expect(order()).toEqual(['203 Cid', '201 Ann', '202 Bob'])
    expect(payload()).toEqual([
      { extensionId: 3, priority: 1 },
      { extensionId: 1, priority: 2 },
      { extensionId: 2, priority: 3 },
    ])
  })

  it('moves a member by dragging it onto another row', () => {
    render(<Harness initial={[{ extensionId: 1 }, { extensionId: 2 }, { extensionId: 3 }]} />)
    const [first, , third] = screen.getAllByRole('listitem')
    fireEvent.dragStart(third)
    fireEvent.dragOver(first)
    expect(first.className).toContain('drop-target')
    fireEvent.drop(first)
    expect(order()).toEqual(['203 Cid', '201 Ann', '202 Bob'])
    expect(screen.getAllByRole('listitem')[0].className).not.toContain('drop-target')
    expect(payload()[0]).toEqual({ extensionId: 3, priority: 1 })
  })

  it('offers only active user extensions not yet in the group, and removes members', () => {
    render(<Harness initial={[{ extensionId: 1 }]} />)
    const select = screen.getByLabelText('Add member') as HTMLSelectElement
    const offered = within(select)
      .getAllByRole('option')
      .map((o) => o.textContent)
    expect(offered).toEqual(['Choose…', '202 Bob', '203 Cid', '205 Eve'])

    fireEvent.change(select, { target: { value: '6' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add' }))
    expect(order()).toEqual(['201 Ann', '205 Eve'])
    expect(within(select).queryByText('205 Eve')).toBeNull()

    fireEvent.click(screen.getByRole('button', { name: 'Remove 201 Ann' }))
    expect(order()).toEqual(['205 Eve'])
    expect(payload()).toEqual([{ extensionId: 6, priority: 1 }])
  })

  it('shows the server error of a member next to that member', () => {
    render(
      <Harness
        initial={[{ extensionId: 1 }, { extensionId: 2 }]}
        errors={{ 'members.1.extensionId': 'The selected extension is inactive' }}
      />,
    )
    const rows = screen.getAllByRole('listitem')
    expect(within(rows[1]).getByText('The selected extension is inactive')).toBeTruthy()
    expect(within(rows[0]).queryByText('The selected extension is inactive')).toBeNull()
  })

  it('moveItem ignores moves past either end', () => {
    const list = ['a', 'b']
    expect(moveItem(list, 0, -1)).toBe(list)
    expect(moveItem(list, 1, 2)).toBe(list)
    expect(moveItem(list, 1, 0)).toEqual(['b', 'a'])
  })
})

void act
