import type { Trx } from '../db/database';
import { readCheckoutDetails } from './checkout-details';
import { nextCart, nextOrder, type CartRow, type OrderRow } from './decide';
import { applyIdentity, readMaps, type KeyChanges } from './identity';
import { nudgeContact, viewContact } from './links';
import type { BatchPlan } from './plan';
import { batchKeys } from './resolve';
import { appendConsents, insertNudges, insertProductViews } from './sql/activity';
import { redeem } from '../recovery/sql/coupons';
import { cartsNaming, lockNudgesNaming, lockViewsNaming, ordersNaming, setContacts } from './sql/relink';
import { lockSnapshots, writeSnapshots } from './sql/snapshots';
import { applyStoreProfile } from './sql/store-profile';

/**
 * Applies a plan of new events. Lock order across all transactions, each table's rows in key
 * order: inbound_events (event id), contacts (phone), contact keys (emails, then customer ids
 * and phones, then sessions, then known browsers, each in value order), carts (cart key),
 * orders (order id), product views (id), channel nudges (id), stores. Inserts into the append-only tables lock only their own new rows.
 * Every fact is a function of the events, whatever order they arrive in (README, "order
 * tolerance"): contacts and carts field by field (fields.ts), started_at by the run (cart-run.ts),
 * every contact_id by the rules in links.ts, and rows are relinked when a key's contact changes.
 */
export async function applyFacts(trx: Trx, storeId: number, plan: BatchPlan, now: Date): Promise<void> {
  const { byPhone, changed } = await applyIdentity(trx, storeId, plan, now);
  const contactOf = (phone: string): number => {
    const id = byPhone.get(phone);
    if (id === undefined) throw new Error('contact missing after upsert');
    return id;
  };
  await appendConsents(
    trx,
    storeId,
    plan.consents.map((c) => ({ ...c, contactId: contactOf(c.phone) })),
    now,
  );
  const keys = batchKeys(plan);
  const maps = await readMaps(trx, storeId, { ...keys, phones: keys.phones });
  await insertProductViews(
    trx,
    storeId,
    plan.productViews.map((v) => ({ ...v, contactId: viewContact(v, maps) })),
  );
  await insertNudges(
    trx,
    storeId,
    plan.nudges.map((n) => ({
      ...n,
      contactId: nudgeContact({ phone: n.ref.phone ?? null, email: n.ref.email ?? null }, maps),
    })),
  );
  await applyCarts(trx, storeId, plan, changed, now);
  await applyOrders(trx, storeId, plan, changed, now);
  await relinkActivity(trx, storeId, changed);
  await applyStoreProfile(trx, storeId, plan.storeProfile, now);
}

/** The keys stored rows name, to read what they point at once the rows are locked. */
function cartKeys(rows: Iterable<CartRow>) {
  const keys = { phones: [] as string[], emails: [] as string[], customers: [] as number[], sessions: [] as string[] };
  for (const row of rows) {
    if (row.customer_id) keys.customers.push(row.customer_id);
    if (row.session_id) keys.sessions.push(row.session_id);
    if (row.email) keys.emails.push(row.email);
    const capture = readCheckoutDetails(row.checkout_details).contact;
    if (capture?.phone) keys.phones.push(capture.phone);
    if (capture?.email) keys.emails.push(capture.email);
  }
  return keys;
}

/**
 * The batch's carts, and those that name a key whose contact changed, are locked together in key
 * order; then what their keys point at is read (the rows are locked, so a transaction changing a
 * key they name waits for us or has committed) and each is decided (decide.ts) and written back.
 */
async function applyCarts(trx: Trx, storeId: number, plan: BatchPlan, changed: KeyChanges, now: Date): Promise<void> {
  const snapshots = new Map(plan.cartSnapshots.map((s) => [s.cartKey, s]));
  const links = new Map(plan.cartContacts.map((l) => [l.cartKey, l]));
  const own = new Set([...snapshots.keys(), ...links.keys(), ...plan.cartFields.keys(), ...plan.cartDetails.keys()]);
  const naming = await cartsNaming(trx, storeId, changed);
  // A cart gone since it was found stays gone: only the batch's own carts get stubs.
  const stub = (cart_key: string) =>
    own.has(cart_key) ? { store_id: storeId, cart_key, item_count: 0, created_at: now, updated_at: now } : null;
  const stored = await lockSnapshots(trx, 'carts', storeId, [...own, ...naming], stub);
  const keys = cartKeys(stored.values());
  for (const f of plan.cartFields.values()) {
    if (f.customerId) keys.customers.push(f.customerId.value);
    if (f.sessionId) keys.sessions.push(f.sessionId.value);
    if (f.email) keys.emails.push(f.email.value);
  }
  for (const l of links.values()) {
    if (l.ref.phone) keys.phones.push(l.ref.phone);
    if (l.ref.email) keys.emails.push(l.ref.email);
  }
  const maps = await readMaps(trx, storeId, keys);
  const changes: CartRow[] = [];
  for (const [cartKey, row] of stored) {
    const facts = {
      snapshot: snapshots.get(cartKey),
      link: links.get(cartKey),
      details: plan.cartDetails.get(cartKey),
      fields: plan.cartFields.get(cartKey),
    };
    const next = nextCart(row, facts, maps, now);
    if (next) changes.push(next);
  }
  await writeSnapshots(trx, 'carts', changes);
}

async function applyOrders(trx: Trx, storeId: number, plan: BatchPlan, changed: KeyChanges, now: Date): Promise<void> {
  const naming = await ordersNaming(trx, storeId, changed);
  const stub = (order_id: number) =>
    plan.orders.has(order_id) ? { store_id: storeId, order_id, created_at: now, updated_at: now } : null;
  const stored = await lockSnapshots(trx, 'orders', storeId, [...plan.orders.keys(), ...naming], stub);
  const keys = { phones: [] as string[], emails: [] as string[], customers: [] as number[] };
  const add = (d: { phone?: string | null; email?: string | null; customer_id?: number | null }) => {
    if (d.phone) keys.phones.push(d.phone);
    if (d.email) keys.emails.push(d.email.trim().toLowerCase());
    if (d.customer_id) keys.customers.push(d.customer_id);
  };
  for (const row of stored.values()) add(row);
  for (const facts of plan.orders.values()) for (const f of facts) add(f.data);
  const maps = await readMaps(trx, storeId, keys);
  const changes: OrderRow[] = [];
  for (const [orderId, row] of stored) {
    const next = nextOrder(row, plan.orders.get(orderId) ?? [], maps, now);
    if (next) changes.push(next);
  }
  await writeSnapshots(trx, 'orders', changes);
  for (const order of changes) await redeemCoupons(trx, storeId, order, now);
}

/**
 * A paid order that used Cartback coupons (codes `CB-…`) redeems them (recovery/sql/coupons.ts
 * `redeem`): worth min(the coupon's value, the order's discount), in the month it was paid. The
 * order row is the fold of all its events (newest wins), so duplicate or out-of-order events give
 * the same answer, and writing it again changes nothing.
 */
async function redeemCoupons(trx: Trx, storeId: number, order: OrderRow, now: Date): Promise<void> {
  const paidAt =
    order.paid_at ?? (order.status === 'processing' || order.status === 'completed' ? order.placed_at : null);
  if (!paidAt || !order.coupons) return;
  let listed: unknown;
  try {
    listed = typeof order.coupons === 'string' ? JSON.parse(order.coupons) : order.coupons;
  } catch {
    return;
  }
  const codes = Array.isArray(listed)
    ? listed.filter((c): c is string => typeof c === 'string' && /^cb-/i.test(c.trim())).map((c) => c.trim())
    : [];
  if (codes.length === 0) return;
  await redeem(
    trx,
    storeId,
    { orderId: Number(order.order_id), codes, discount: Number(order.discount ?? 0), at: paidAt },
    now,
  );
}

/** Product views and nudges that name a key whose contact changed get the contact it points at now. */
async function relinkActivity(trx: Trx, storeId: number, changed: KeyChanges): Promise<void> {
  const views = await lockViewsNaming(trx, storeId, changed);
  if (views.length > 0) {
    const maps = await readMaps(trx, storeId, {
      customers: views.flatMap((v) => (v.customer_id ? [v.customer_id] : [])),
      sessions: views.map((v) => v.session_id),
      browsers: views.flatMap((v) => (v.contact_ref ? [v.contact_ref] : [])),
    });
    const updates = new Map<number, number | null>();
    for (const v of views) {
      const contactId = viewContact(
        { customerId: v.customer_id, sessionId: v.session_id, contactRef: v.contact_ref },
        maps,
      );
      if (contactId !== v.contact_id) updates.set(v.id, contactId);
    }
    await setContacts(trx, 'product_views', updates);
  }
  const nudges = await lockNudgesNaming(trx, storeId, changed);
  if (nudges.length > 0) {
    const maps = await readMaps(trx, storeId, {
      phones: nudges.flatMap((n) => (n.phone ? [n.phone] : [])),
      emails: nudges.flatMap((n) => (n.email ? [n.email] : [])),
    });
    const updates = new Map<number, number | null>();
    for (const n of nudges) {
      const contactId = nudgeContact(n, maps);
      if (contactId !== n.contact_id) updates.set(n.id, contactId);
    }
    await setContacts(trx, 'channel_nudges', updates);
  }
}
