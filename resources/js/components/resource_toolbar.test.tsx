import { describe, expect, it } from 'vitest'
import { countNoun } from '~/components/resource_toolbar'

describe('countNoun', () => {
  it('says one thing in the singular and everything else in the plural', () => {
    expect(countNoun(1, 'ring groups')).toBe('1 ring group')
    expect(countNoun(1, 'voicemail boxes')).toBe('1 voicemail box')
    expect(countNoun(1, 'IVR menus')).toBe('1 IVR menu')
    expect(countNoun(0, 'ring groups')).toBe('0 ring groups')
    expect(countNoun(2, 'voicemail boxes')).toBe('2 voicemail boxes')
  })
})
