import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { BROWSE_LANE, BROWSE_SUBJECT, browseSubjectId } from '../../src/engine/browse';
import { linesJson, type LineSeed } from './winback';

/** Facts for browse-abandonment tests, written straight into the tables the store's events fill (store 1). */

/** A view of `product` by a known contact (its contact resolved, as ingest does for a login or a known browser). */
export async function insertContactView(
  db: Db,
  contactId: number | null,
  product: number,
  at: Date,
  inStock = true,
): Promise<void> {
  await sql`INSERT INTO product_views (store_id, event_id, session_id, contact_id, product_id, name, price, currency, image_url, url, in_stock, categories, viewed_at)
    VALUES (1, UUID(), ${`sess-${contactId ?? 'anon'}`}, ${contactId}, ${product}, ${`Product ${product}`}, ${1000 + product}, 'EUR',
      ${`https://shop.example/img/${product}.jpg`}, ${`https://shop.example/product/${product}`}, ${inStock ? 1 : 0},
      '["Shirts"]', ${at})`.execute(db);
}

/** An active cart of the contact, last changed at `at`. */
export async function insertContactCart(
  db: Db,
  contactId: number,
  cartKey: string,
  at: Date,
  lines: readonly LineSeed[],
): Promise<void> {
  await sql`INSERT INTO carts (store_id, cart_key, status, contact_id, currency, item_count, \`lines\`, started_at, content_at, created_at, updated_at)
    VALUES (1, ${cartKey}, 'active', ${contactId}, 'EUR', ${lines.length}, ${linesJson(lines)}, ${at}, ${at}, ${at}, ${at})`.execute(
    db,
  );
}

/** A browse journey about `product`, begun at `at` (its episode the view then). */
export async function insertBrowseJourney(
  db: Db,
  contactId: number,
  product: number,
  state: 'active' | 'completed',
  at: Date,
): Promise<void> {
  await sql`INSERT INTO enrollments (store_id, lane, contact_id, subject_kind, subject_id, episode_at, cell, state, anchor_at, next_step, next_due_at, created_at, updated_at)
    VALUES (1, ${BROWSE_LANE}, ${contactId}, ${BROWSE_SUBJECT}, ${browseSubjectId(contactId, product)},
      ${at}, 'treatment', ${state}, ${at}, ${state === 'active' ? 0 : 1}, ${state === 'active' ? at : null}, ${at}, ${at})`.execute(
    db,
  );
}
