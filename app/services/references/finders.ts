/* Loads every area's reference finders once, before the first reference check. */
import '#services/references/finders/extensions'
import '#services/references/finders/media'
import '#services/references/finders/trunks'
import '#services/references/finders/settings'
