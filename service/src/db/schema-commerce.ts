/** The tables of issue 11's commerce truth: attributions, store access, coupons and their budget. */
import type { ColumnType, Generated } from 'kysely';

type AutoId = Generated<number>;

/** Which message earned an order (migration 0014; engine/attribution.ts, attribution/pass.ts). */
export interface AttributionsTable {
  store_id: number;
  order_id: number;
  kind: 'recovered' | 'influenced';
  message_id: number;
  lane: string;
  step: number;
  enrollment_id: number;
  /** The message's own coupon (its code), or null when it carried none. */
  coupon_code: string | null;
  touched_at: Date;
  /** Minor units, net of refunds. */
  amount: number;
  currency: string | null;
  /** TINYINT(1): read back as 0 or 1. */
  refunded: ColumnType<number, boolean | number, boolean | number>;
  decided_at: Date;
}

/** The WooCommerce REST API key the plugin handed over (migration 0013): ciphertexts only. */
export interface StoreAccessTable {
  store_id: number;
  url: string;
  key_ciphertext: string;
  secret_ciphertext: string;
  /** The consumer key's last 7 characters, as WooCommerce shows them. */
  key_ending: string;
  key_id: ColumnType<number | null, number | null | undefined, number | null>;
  granted_at: Date;
}

/** A step's coupon (migration 0015, recovery/step-coupon.ts). */
export interface CouponsTable {
  id: AutoId;
  store_id: number;
  enrollment_id: number;
  step: number;
  lane: string;
  code: string;
  /** reserved (budget taken, not yet in the store), created (in the store), void (the step did not send it), removed (deleted from the store). */
  state: 'reserved' | 'created' | 'void' | 'removed';
  discount_type: 'percent' | 'fixed_cart';
  amount: string;
  /** Minor units: the most it can be worth. */
  value: number;
  currency: string;
  minimum_spend: number | null;
  maximum_spend: number | null;
  email: string | null;
  expires_at: Date;
  woo_id: number | null;
  create_attempts: Generated<number>;
  message_id: number | null;
  redeemed_at: Date | null;
  redeemed_value: number | null;
  redeemed_order_id: number | null;
  removed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The store's monthly incentive budget (migration 0015). */
export interface IncentiveBudgetsTable {
  store_id: number;
  monthly_budget: number;
  updated_at: Date;
}
