import { defaultLaneSettings, type LaneName, type LaneSettings } from '../../src/engine/lanes';
import type { Db } from '../../src/db/database';

/**
 * Facts for the stepper tests of issue 10's lanes, written straight into the tables: contacts
 * with consent, journeys of any lane and subject kind, orders (with pay links) and carts.
 */

/** A lane's defaults, enabled, without holdout or quiet hours. */
export function settingsOf(lane: LaneName): LaneSettings {
  return {
    ...defaultLaneSettings(lane),
    enabled: true,
    holdout_percent: 0,
    quiet_hours: { start: '00:00', end: '00:00' },
  };
}

/** The fixtures, on the test's database, with consent granted a day before `now`. */
export function laneFixtures(db: () => Db, now: Date) {
  let n = 0;
  let nextOrderId = 5000;
  /** A contact with consent of the given scope (granted a day ago). */
  async function contact(scope: 'marketing' | 'utility'): Promise<{ id: number; phone: string }> {
    n++;
    const phone = `+4915112${String(n).padStart(5, '0')}`;
    const at = new Date(now.getTime() - 86_400_000);
    const inserted = await db()
      .insertInto('contacts')
      .values({ store_id: 1, phone, first_name: 'Anna', attributes_at: at, created_at: at, updated_at: at })
      .executeTakeFirstOrThrow();
    const id = Number(inserted.insertId);
    await db()
      .insertInto('consent_ledger')
      .values({
        store_id: 1,
        contact_id: id,
        phone,
        scope,
        action: 'granted',
        source: 'checkout',
        text: 'Send me updates on WhatsApp',
        text_version: 1,
        occurred_at: at,
        recorded_at: at,
      })
      .execute();
    return { id, phone };
  }

  async function enroll(
    lane: LaneName,
    subjectKind: string,
    subjectId: string,
    contactId: number,
    episodeAt: Date,
    offer: unknown = null,
    state: 'active' | 'completed' = 'active',
  ): Promise<number> {
    const inserted = await db()
      .insertInto('enrollments')
      .values({
        store_id: 1,
        lane,
        contact_id: contactId,
        subject_kind: subjectKind,
        subject_id: subjectId,
        episode_at: episodeAt,
        cell: 'treatment',
        state,
        anchor_at: episodeAt,
        next_step: 0,
        next_due_at: state === 'active' ? new Date(now.getTime() - 60_000) : null,
        offer: offer === null ? null : JSON.stringify(offer),
        created_at: episodeAt,
        updated_at: episodeAt,
      })
      .executeTakeFirstOrThrow();
    return Number(inserted.insertId);
  }

  const line = (product: number, name = `Product ${product}`) => ({
    product_id: product,
    name,
    quantity: 1,
    unit_price: 1500,
    line_total: 1500,
    image_url: `https://shop.example/img/${product}.jpg`,
    url: `https://shop.example/product/${product}`,
  });

  async function order(
    contactId: number,
    status: string,
    placedAt: Date,
    products: number[],
    change: { paid?: boolean; payUrl?: string | null; total?: number } = {},
  ): Promise<number> {
    const orderId = nextOrderId++;
    await db()
      .insertInto('orders')
      .values({
        store_id: 1,
        order_id: orderId,
        contact_id: contactId,
        status,
        currency: 'EUR',
        total: change.total ?? 4599,
        lines: JSON.stringify(products.map((p) => line(p))),
        pay_url:
          change.payUrl === undefined
            ? `https://shop.example/checkout/order-pay/${orderId}/?key=wc_order_x`
            : change.payUrl,
        placed_at: placedAt,
        paid_at: change.paid ? placedAt : null,
        created_at: placedAt,
        updated_at: placedAt,
      })
      .execute();
    return orderId;
  }

  /** A cart of the given products (1 × 1500 each); returns its key. */
  async function cart(contactId: number, contentAt: Date, products: number[]): Promise<string> {
    n++;
    const cartKey = `lanes-cart-${n}`;
    await db()
      .insertInto('carts')
      .values({
        store_id: 1,
        cart_key: cartKey,
        status: 'active',
        contact_id: contactId,
        currency: 'EUR',
        item_count: products.length,
        lines: JSON.stringify(products.map((p) => line(p))),
        started_at: contentAt,
        content_at: contentAt,
        created_at: contentAt,
        updated_at: contentAt,
      })
      .execute();
    return cartKey;
  }

  return { contact, enroll, order, cart };
}
