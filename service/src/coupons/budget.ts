import type { Db } from '../db/database';
import { monthOf } from '../engine/incentive';
import { readBudget } from '../recovery/sql/coupons';

/**
 * The store's incentive budget as `GET /v1/admin/incentives` shows it (minor units of the store's
 * currency; the month in the store's time zone): `committed` is the worth of coupons issued and
 * still live (not expired, removed, voided or redeemed), `redeemed` what coupons redeemed this month
 * took off, `remaining` = max(0, monthly_budget − committed − redeemed).
 */
export interface IncentiveStatus {
  monthly_budget: number;
  currency: string;
  month: string;
  committed: number;
  redeemed: number;
  remaining: number;
}

export async function incentiveStatus(
  db: Db,
  storeId: number,
  store: { timeZone: string; currency: string },
  now: Date,
): Promise<IncentiveStatus> {
  const month = monthOf(now, store.timeZone);
  const { limit, committed, redeemed } = await readBudget(db, storeId, month, now);
  return {
    monthly_budget: limit,
    currency: store.currency.toUpperCase(),
    month: month.month,
    committed,
    redeemed,
    remaining: Math.max(0, limit - committed - redeemed),
  };
}
