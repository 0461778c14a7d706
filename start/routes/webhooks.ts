/*
 * Execution plane: session updates and CDRs from Cloudonix or our own voip-edge.
 */
import router from '@adonisjs/core/services/router'

void router
