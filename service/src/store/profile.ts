import type { Selectable } from 'kysely';
import type { Db, Trx } from '../db/database';
import type { StoresTable } from '../db/schema';

/**
 * The store as the recovery engine sees it: what the plugin last reported in `store.updated`,
 * and, for whatever it has not reported (an older plugin, or before the first report), the
 * sidecar's configuration (STORE_TIMEZONE, STORE_CURRENCY, STORE_LOCALE, STORE_URL).
 */
export interface StoreProfile {
  name: string;
  /** An IANA zone, or a fixed offset such as `+05:30` (quiet-hours.ts reads both). */
  timeZone: string;
  currency: string;
  locale: string;
  /** WooCommerce's placeholder image, the header of a cart whose first item has no image. */
  placeholderImageUrl: string | null;
  /** The plugin's signed routes (`…/wp-json/cartback/v1`), as the plugin reported them. */
  apiUrl: string | null;
  /** WooCommerce's own pending-order email is on (null: not reported). */
  wcPendingOrderEmail: boolean | null;
  /** The plugin has reported the profile at least once. */
  reported: boolean;
}

/** What the configuration says until the plugin reports. */
export interface StoreDefaults {
  timeZone: string;
  currency: string;
  locale: string;
  /** STORE_URL: its host name stands in for the store's name. */
  storeUrl?: string;
  /** STORE_API_URL: where the plugin's routes are, whatever the plugin reports. */
  storeApiUrl?: string;
}

type StoreRow = Pick<
  Selectable<StoresTable>,
  | 'name'
  | 'timezone'
  | 'currency'
  | 'locale'
  | 'placeholder_image_url'
  | 'api_url'
  | 'wc_pending_order_email'
  | 'profile_at'
>;

/** The store's name before the plugin reports it: STORE_URL's host name, else "our shop". */
export function fallbackStoreName(storeUrl: string | undefined): string {
  if (!storeUrl) return 'our shop';
  try {
    return new URL(storeUrl).hostname || 'our shop';
  } catch {
    return 'our shop';
  }
}

/** The profile from the stored row (undefined: no row) and the defaults. Pure. */
export function effectiveStore(row: StoreRow | undefined, defaults: StoreDefaults): StoreProfile {
  const reported = row?.profile_at != null;
  return {
    name: (reported && row?.name) || fallbackStoreName(defaults.storeUrl),
    timeZone: row?.timezone || defaults.timeZone,
    currency: row?.currency || defaults.currency,
    locale: row?.locale || defaults.locale,
    placeholderImageUrl: row?.placeholder_image_url || null,
    apiUrl: row?.api_url || null,
    wcPendingOrderEmail: row?.wc_pending_order_email == null ? null : Boolean(row.wc_pending_order_email),
    reported,
  };
}

/** Reads the store's row and returns its effective profile. */
export async function readStoreProfile(db: Db | Trx, storeId: number, defaults: StoreDefaults): Promise<StoreProfile> {
  const row = await db
    .selectFrom('stores')
    .select([
      'name',
      'timezone',
      'currency',
      'locale',
      'placeholder_image_url',
      'api_url',
      'wc_pending_order_email',
      'profile_at',
    ])
    .where('id', '=', storeId)
    .executeTakeFirst();
  return effectiveStore(row, defaults);
}
