/* Loads every area's reference finders once, before the first reference check. */
import '#services/references/finders/extensions'
import '#services/references/finders/media'
import '#services/references/finders/trunks'
import '#services/references/finders/settings'
import '#services/references/finders/ring_groups'
import '#services/references/finders/business_hours'
import '#services/references/finders/ivr'
import '#services/references/finders/phone_numbers'
