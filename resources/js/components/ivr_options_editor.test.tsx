import { afterEach, describe, expect, it } from 'vitest'
import { useState } from 'react'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { IvrOptionsEditor, nextFreeDigit, type IvrOption } from '~/components/ivr_options_editor'
import type { Options } from '~/components/admin_types'

const CHOICES: Options = {
  extensions: [
    { id: 1, number: '201', name: 'Ann', type: 'user', status: 'active', voicemailEnabled: true },
    { id: 2, number: '202', name: 'Bob', type: 'user', status: 'active', voicemailEnabled: false },
    {
      id: 3,
      number: '900',
      name: 'Sales alias',
      type: 'ring_group',
      status: 'active',
      voicemailEnabled: false,
    },
  ],
  ringGroups: [{ id: 7, name: 'Sales', status: 'active' }],
  ivrMenus: [{ id: 9, name: 'Main menu', status: 'active' }],
  conferenceRooms: [{ id: 4, number: '800', name: 'Board', status: 'active' }],
}

function Harness({
  initial = [],
  errors,
}: {
  initial?: IvrOption[]
  errors?: Record<string, string>
}) {
  const [options, setOptions] = useState(initial)
  return (
    <>
      <IvrOptionsEditor options={options} onChange={setOptions} choices={CHOICES} errors={errors} />
      <output data-testid="options">{JSON.stringify(options)}</output>
    </>
  )
}
const value = (): IvrOption[] => JSON.parse(screen.getByTestId('options').textContent!)
const optionTexts = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((o) => o.textContent)

afterEach(cleanup)

describe('IVR option editor', () => {
  it('adds keys in order and never offers a key twice', () => {
    render(<Harness />)
    fireEvent.click(screen.getByRole('button', { name: 'Add key 1' }))
    fireEvent.click(screen.getByRole('button', { name: 'Add key 2' }))
    const rows = screen.getAllByTestId('ivr-option')
    expect(value().map((o) => o.digit)).toEqual(['1', '2'])
    const firstKey = within(rows[0]).getByLabelText('Key')
    expect(optionTexts(firstKey)).not.toContain('2')
    fireEvent.change(firstKey, { target: { value: '0' } })
    expect(value().map((o) => o.digit)).toEqual(['0', '2'])
    expect(screen.getByRole('button', { name: 'Add key 1' })).toBeTruthy()
  })

  it('sends a key to a target: changing the kind resets the choice and lists only what fits', () => {
    render(
      <Harness
        initial={[{ digit: '1', description: '', target: { type: 'extension', id: null } }]}
      />,
    )
    const row = screen.getByTestId('ivr-option')
    expect(optionTexts(within(row).getByLabelText('Extension'))).toEqual([
      'Choose…',
      '201 Ann',
      '202 Bob',
    ])
    fireEvent.change(within(row).getByLabelText('Extension'), { target: { value: '2' } })
    expect(value()[0].target).toEqual({ type: 'extension', id: 2 })

    fireEvent.change(within(row).getByLabelText('Kind'), { target: { value: 'voicemail' } })
    expect(value()[0].target).toEqual({ type: 'voicemail', id: null })
    expect(optionTexts(within(row).getByLabelText('Voicemail'))).toEqual(['Choose…', '201 Ann'])

    fireEvent.change(within(row).getByLabelText('Kind'), { target: { value: 'ring_group' } })
    fireEvent.change(within(row).getByLabelText('Ring group'), { target: { value: '7' } })
    fireEvent.change(within(row).getByLabelText('Description'), { target: { value: 'Sales' } })
    expect(value()).toEqual([
      { digit: '1', description: 'Sales', target: { type: 'ring_group', id: 7 } },
    ])

    fireEvent.change(within(row).getByLabelText('Kind'), { target: { value: 'hangup' } })
    expect(within(row).queryByLabelText('Ring group')).toBeNull()
    expect(value()[0].target).toEqual({ type: 'hangup', id: null })
  })

  it('stops at twelve keys and removes a key', () => {
    render(<Harness />)
    for (let i = 0; i < 12; i++) fireEvent.click(screen.getByRole('button', { name: /^Add key/ }))
    const full = screen.getByRole('button', { name: 'All 12 keys are used' }) as HTMLButtonElement
    expect(full.disabled).toBe(true)
    expect(nextFreeDigit(value())).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Remove key 5' }))
    expect(value()).toHaveLength(11)
    expect(screen.getByRole('button', { name: 'Add key 5' })).toBeTruthy()
  })

  it('shows server errors next to the option they are about', () => {
    render(
      <Harness
        initial={[
          { digit: '1', description: '', target: { type: 'extension', id: 1 } },
          { digit: '2', description: '', target: { type: 'ivr_menu', id: null } },
        ]}
        errors={{ 'options.1.target.id': 'The selected ivr menu does not exist' }}
      />,
    )
    const rows = screen.getAllByTestId('ivr-option')
    const menu = within(rows[1]).getByLabelText('IVR menu')
    expect(menu.getAttribute('aria-invalid')).toBe('true')
    expect(within(rows[1]).getByText('The selected ivr menu does not exist')).toBeTruthy()
    expect(within(rows[0]).queryByText('The selected ivr menu does not exist')).toBeNull()
  })
})
