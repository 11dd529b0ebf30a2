import { defaultLaneSettings } from '../engine/lanes';
import { runAttributionPass } from '../attribution/pass';
import type { Db } from '../db/database';
import type { FakeWoo } from '../fake-woo/server';
import { say } from './show';
import type { System } from './system';

/**
 * The demo's commerce truth (issue 11): the store's catalog in the fake of WooCommerce's REST API
 * (so every message checks live stock and price), a monthly discount budget, Anna's first
 * reminder with a coupon made for her alone, and the order it brings back attributed to it.
 */

const BUDGET = 500_000; // ₹5,000.00 a month

/** The products the demo's shoppers meet, in stock at the prices their events carry. */
export function stockTheShop(woo: FakeWoo): void {
  const products: Array<[number, string, string]> = [
    [41, 'Indigo block-printed kurta', '1499.00'],
    [42, 'Handloom cotton kurta', '1299.00'],
    [43, 'Chanderi silk kurta', '2199.00'],
    [44, 'Ikat cotton dupatta', '899.00'],
  ];
  for (const [id, name, price] of products) {
    woo.addProduct({ id, name, price, regular_price: price, stock_status: 'instock' });
  }
}

/**
 * The cart lane's first reminder offers ₹100 off (a unique code, her email only, two days), from
 * a ₹5,000 monthly budget; without budget it would go as the plain second-reminder text.
 */
export async function offerCouponOnFirstReminder(system: System, delays: string[]): Promise<void> {
  const budget = await system.call('PUT', '/v1/admin/incentives', { monthly_budget: BUDGET });
  if (budget.status !== 200) throw new Error(`PUT incentives: ${budget.status} ${JSON.stringify(budget.body)}`);
  const defaults = defaultLaneSettings('abandoned_cart');
  const [first, ...rest] = defaults.steps;
  if (!first) throw new Error('the cart lane has no first step');
  const settings = {
    ...defaults,
    enabled: true,
    inactivity_delay: delays[0],
    holdout_percent: 0,
    quiet_hours: { start: '00:00', end: '00:00' },
    steps: [
      {
        delay: delays[0],
        template: 'cart_reminder_2_coupon',
        language: 'en',
        parameters: {
          header: null,
          body: ['first_name', 'coupon_value', 'coupon_code', 'item_count', 'first_item_name', 'cart_total'],
          buttons: first.parameters.buttons,
        },
        incentive: {
          type: 'fixed',
          amount: 10_000,
          ceiling: 10_000,
          expires_after: 'P2D',
          minimum_spend: null,
          template_without_incentive: 'cart_reminder_2_text',
        },
      },
      ...rest.map((s, i) => ({ ...s, delay: delays[i + 1] ?? s.delay })),
    ],
  };
  const answer = await system.call('PUT', '/v1/admin/lanes/abandoned_cart', settings);
  if (answer.status !== 200)
    throw new Error(`PUT lanes/abandoned_cart: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** The coupon the store holds for this code (WooCommerce keeps codes lower-case). */
export function storeCoupon(woo: FakeWoo, code: string) {
  return [...woo.state.coupons.values()].find((c) => c.code === code.toLowerCase());
}

/** Tells where the coupon and the order ended up: the store's coupon, the attribution, the budget. */
export async function tellAttribution(system: System, db: Db, orderId: number): Promise<void> {
  const store = await db.selectFrom('stores').select('id').orderBy('id').executeTakeFirstOrThrow();
  // The sidecar runs this pass every minute; the demo runs it now (it is idempotent).
  await runAttributionPass(db, store.id, new Date());
  const row = await db
    .selectFrom('attributions')
    .selectAll()
    .where('store_id', '=', store.id)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!row) {
    say(`   order ${orderId} is not attributed yet`);
    return;
  }
  const money = new Intl.NumberFormat('en-IN', { style: 'currency', currency: row.currency ?? 'INR' });
  say(
    `   attribution: order ${orderId} ${row.kind} by ${row.lane} message ${Number(row.step) + 1}` +
      `${row.coupon_code ? ` with coupon ${row.coupon_code}` : ''}: ${money.format(Number(row.amount) / 100)}`,
  );
  const budget = (await system.call('GET', '/v1/admin/incentives')).body as {
    month: string;
    committed: number;
    redeemed: number;
    remaining: number;
  };
  say(
    `   discount budget ${budget.month}: ${money.format(budget.redeemed / 100)} redeemed, ` +
      `${money.format(budget.committed / 100)} still out, ${money.format(budget.remaining / 100)} left`,
  );
}
