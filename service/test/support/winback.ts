import { sql } from 'kysely';
import type { Db } from '../../src/db/database';

/** Facts for win-back tests and the bench, written straight into the tables the store's events fill. */

export interface LineSeed {
  product: number;
  categories: number[];
  quantity?: number;
}

export function linesJson(lines: readonly LineSeed[]): string {
  return JSON.stringify(
    lines.map((l) => ({
      product_id: l.product,
      name: `Product ${l.product}`,
      quantity: l.quantity ?? 1,
      unit_price: 1000 + l.product,
      line_total: (1000 + l.product) * (l.quantity ?? 1),
      image_url: `https://shop.example/img/${l.product}.jpg`,
      url: `https://shop.example/product/${l.product}`,
      categories: l.categories.map((id) => ({ id, name: `Category ${id}` })),
    })),
  );
}

export async function insertContact(db: Db, phone: string, at: Date): Promise<number> {
  const { insertId } =
    await sql`INSERT INTO contacts (store_id, phone, first_name, attributes_at, created_at, updated_at)
    VALUES (1, ${phone}, 'Anna', ${at}, ${at}, ${at})`.execute(db);
  return Number(insertId);
}

export async function insertConsent(
  db: Db,
  contactId: number,
  phone: string,
  action: 'granted' | 'withdrawn',
  at: Date,
): Promise<void> {
  await sql`INSERT INTO consent_ledger (store_id, contact_id, phone, scope, action, source, text, text_version, occurred_at, recorded_at)
    VALUES (1, ${contactId}, ${phone}, 'marketing', ${action}, 'checkout', 'Send me offers on WhatsApp', 1, ${at}, ${at})`.execute(
    db,
  );
}

let nextOrderId = 1;

export async function insertOrder(
  db: Db,
  contactId: number | null,
  status: string,
  placedAt: Date,
  lines: readonly LineSeed[],
): Promise<void> {
  await sql`INSERT INTO orders (store_id, order_id, contact_id, status, currency, \`lines\`, placed_at, created_at, updated_at)
    VALUES (1, ${nextOrderId++}, ${contactId}, ${status}, 'EUR', ${linesJson(lines)}, ${placedAt}, ${placedAt}, ${placedAt})`.execute(
    db,
  );
}

export async function insertCart(db: Db, cartKey: string, at: Date, lines: readonly LineSeed[]): Promise<void> {
  await sql`INSERT INTO carts (store_id, cart_key, status, currency, item_count, \`lines\`, started_at, content_at, created_at, updated_at)
    VALUES (1, ${cartKey}, 'active', 'EUR', ${lines.length}, ${linesJson(lines)}, ${at}, ${at}, ${at}, ${at})`.execute(
    db,
  );
}

export async function insertView(
  db: Db,
  product: number,
  categories: string[],
  inStock: boolean,
  at: Date,
): Promise<void> {
  await sql`INSERT INTO product_views (store_id, event_id, session_id, product_id, name, price, currency, image_url, url, in_stock, categories, viewed_at)
    VALUES (1, UUID(), 'sess', ${product}, ${`Product ${product}`}, ${1000 + product}, 'EUR',
      ${`https://shop.example/img/${product}.jpg`}, ${`https://shop.example/product/${product}`}, ${inStock ? 1 : 0},
      ${JSON.stringify(categories)}, ${at})`.execute(db);
}

export async function insertJourney(
  db: Db,
  contactId: number,
  lane: string,
  state: 'active' | 'completed',
  at: Date,
): Promise<void> {
  const subjectKind = lane === 'winback' ? 'winback' : 'cart';
  await sql`INSERT INTO enrollments (store_id, lane, contact_id, subject_kind, subject_id, episode_at, cell, state, anchor_at, next_step, next_due_at, created_at, updated_at)
    VALUES (1, ${lane}, ${contactId}, ${subjectKind}, ${lane === 'winback' ? String(contactId) : `cart-${contactId}`},
      ${at}, 'treatment', ${state}, ${at}, 0, ${state === 'active' ? at : null}, ${at}, ${at})`.execute(db);
}
