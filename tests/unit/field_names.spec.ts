import { test } from '@japa/runner'
import vine from '@vinejs/vine'
import { humanFieldName, humanMessagesProvider } from '#validators/helpers/field_names'

test.group('Human field names in validation messages', () => {
  test('{$self}')
    .with([
      ['fallbackTargetId', 'fallback target'],
      ['members.0.extension_id', 'extension'],
      ['sipPassword', 'SIP password'],
      ['allowedCidrs', 'allowed CIDRs'],
      ['id', 'ID'],
      ['ivrMenuId', 'IVR menu'],
      ['maxCps', 'max CPS'],
      ['email', 'email'],
    ] as const)
    .run(({ assert }, [key, label]) => {
      assert.equal(humanFieldName(key), label)
    })

  test('a failed rule names the field by its label and keeps the key', async ({ assert }) => {
    const validator = vine.create({ fallbackTargetId: vine.number() })
    try {
      await validator.validate({}, { messagesProvider: humanMessagesProvider() })
      assert.fail('validation passed')
    } catch (error) {
      const [message] = (error as { messages: { field: string; message: string }[] }).messages
      assert.equal(message.field, 'fallbackTargetId')
      assert.equal(message.message, 'The fallback target field must be defined')
    }
  })
})
