import type { Migration } from 'kysely';
import * as facts from './0001_facts';
import * as recovery from './0002_recovery';
import * as checkoutDetails from './0004_cart_checkout_details';
import * as storeProfile from './0005_store_profile';
import * as linkOpens from './0006_link_opens';
import * as lostMessages from './0007_lost_messages';
import * as orderTolerance from './0008_order_tolerance';
import * as winback from './0009_winback';
import * as knownBrowsers from './0010_known_browsers';
import * as linkSubjects from './0011_link_subjects';
import * as handoffs from './0012_handoffs';
import * as storeAccess from './0013_store_access';
import * as attributions from './0014_attributions';
import * as coupons from './0015_coupons';
import * as orderRefunds from './0016_order_refunds';
import * as measurement from './0017_measurement';
import * as monitors from './0018_monitors';

/** Every migration, by name, in the order they run. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '0001_facts': facts,
  '0002_recovery': recovery,
  '0004_cart_checkout_details': checkoutDetails,
  '0005_store_profile': storeProfile,
  '0006_link_opens': linkOpens,
  '0007_lost_messages': lostMessages,
  '0008_order_tolerance': orderTolerance,
  '0009_winback': winback,
  '0010_known_browsers': knownBrowsers,
  '0011_link_subjects': linkSubjects,
  '0012_handoffs': handoffs,
  '0013_store_access': storeAccess,
  '0014_attributions': attributions,
  '0015_coupons': coupons,
  '0016_order_refunds': orderRefunds,
  '0017_measurement': measurement,
  '0018_monitors': monitors,
};
