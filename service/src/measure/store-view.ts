import type { Db } from '../db/database';
import { readStoreProfile, type StoreDefaults } from '../store/profile';
import type { StoreView } from './dashboard';
import { safeLocale } from './format';
import { readRateCard } from './sql/rate-card-store';

/** The store as the measurement sees it: its zone, currency and locale, and the rate card. */
export async function readStoreView(
  db: Db,
  storeId: number,
  defaults: StoreDefaults = { timeZone: 'UTC', currency: 'USD', locale: 'en' },
): Promise<StoreView> {
  const [profile, { card }] = await Promise.all([readStoreProfile(db, storeId, defaults), readRateCard(db, storeId)]);
  return {
    storeId,
    timeZone: profile.timeZone,
    currency: profile.currency,
    locale: safeLocale(profile.locale),
    card,
  };
}
