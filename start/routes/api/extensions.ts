import router from '@adonisjs/core/services/router'

const ExtensionsController = () => import('#controllers/api/extensions_controller')
const RestoreController = () => import('#controllers/api/extensions/restore_controller')
const SipPasswordController = () => import('#controllers/api/extensions/sip_password_controller')
const DndController = () => import('#controllers/api/extensions/dnd_controller')
const ForwardingController = () => import('#controllers/api/extensions/forwarding_controller')
const FollowMeController = () => import('#controllers/api/extensions/follow_me_controller')
const VoicemailBoxController = () => import('#controllers/api/extensions/voicemail_box_controller')
const ExtensionMessagesController = () =>
  import('#controllers/api/extensions/voicemail_messages_controller')
const MessagesController = () => import('#controllers/api/voicemail_messages_controller')
const MessageRestoreController = () =>
  import('#controllers/api/voicemail_messages/restore_controller')
const MessageAudioController = () => import('#controllers/api/voicemail_messages/audio_controller')

/* /api/v1 routes of the extensions area: extensions, voicemail boxes and messages. */
export default function registerExtensionsRoutes() {
  router.get('/extensions', [ExtensionsController, 'index']).as('api.extensions.index')
  router.post('/extensions', [ExtensionsController, 'store']).as('api.extensions.store')
  router.get('/extensions/:id', [ExtensionsController, 'show']).as('api.extensions.show')
  router.patch('/extensions/:id', [ExtensionsController, 'update']).as('api.extensions.update')
  router.delete('/extensions/:id', [ExtensionsController, 'destroy']).as('api.extensions.destroy')
  router.post('/extensions/:id/restore', [RestoreController, 'store']).as('api.extensions.restore')
  router
    .post('/extensions/:id/sip-password', [SipPasswordController, 'store'])
    .as('api.extensions.sip_password')
  router.put('/extensions/:id/dnd', [DndController, 'update']).as('api.extensions.dnd.enable')
  router.delete('/extensions/:id/dnd', [DndController, 'destroy']).as('api.extensions.dnd.disable')
  router
    .put('/extensions/:id/forwarding', [ForwardingController, 'update'])
    .as('api.extensions.forwarding')
  router
    .put('/extensions/:id/follow-me', [FollowMeController, 'update'])
    .as('api.extensions.follow_me')
  router
    .get('/extensions/:id/voicemail-box', [VoicemailBoxController, 'show'])
    .as('api.extensions.voicemail_box.show')
  router
    .put('/extensions/:id/voicemail-box', [VoicemailBoxController, 'update'])
    .as('api.extensions.voicemail_box.update')
  router
    .put('/extensions/:id/voicemail-box/greeting', [VoicemailBoxController, 'greeting'])
    .as('api.extensions.voicemail_box.greeting')
  router
    .get('/extensions/:id/voicemail-messages', [ExtensionMessagesController, 'index'])
    .as('api.extensions.voicemail_messages')

  router
    .patch('/voicemail-messages/:id', [MessagesController, 'update'])
    .as('api.voicemail_messages.update')
  router
    .delete('/voicemail-messages/:id', [MessagesController, 'destroy'])
    .as('api.voicemail_messages.destroy')
  router
    .post('/voicemail-messages/:id/restore', [MessageRestoreController, 'store'])
    .as('api.voicemail_messages.restore')
  router
    .get('/voicemail-messages/:id/audio', [MessageAudioController, 'show'])
    .as('api.voicemail_messages.audio')
}
