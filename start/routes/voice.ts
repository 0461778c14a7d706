/*
 * Execution plane: voice routing requests and their action callbacks (CXML responses).
 */
import router from '@adonisjs/core/services/router'

void router
