import { randomBytes } from 'node:crypto';
import type { StoreEvent } from '@cartback/shared';
import type { Db, Trx } from '../db/database';
import { withTransaction } from '../db/transaction';
import { linkCartSession, nextCart, nextOrder, type CartRow, type OrderRow } from './decide';
import { dedupeBatch, planBatch, type BatchPlan } from './plan';
import { contactRefs, lookupKeys, resolveContact, sessionLinks } from './resolve';
import { appendConsents, insertNudges, insertProductViews, linkSessionViews } from './sql/activity';
import { findContacts, linkCustomers, upsertContacts, type ContactIndex } from './sql/contacts';
import { claimEvents } from './sql/inbound-events';
import { lockSnapshots, sessionCartKeys, writeSnapshots } from './sql/snapshots';
import { applyStoreProfile } from './sql/store-profile';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Event types applied, for metrics; reported only after the commit. */
  applied: Map<string, number>;
}

/**
 * Applies validated batches exactly once, together in one transaction: events seen before (in
 * an earlier request, or earlier in these batches) are counted as duplicates of the batch that
 * repeats them and change nothing; everything else is applied, or, on any error, nothing is.
 * Returns one result per batch, in order.
 */
export async function ingestBatches(
  db: Db,
  storeId: number,
  batches: ReadonlyArray<readonly StoreEvent[]>,
  now: Date = new Date(),
): Promise<IngestResult[]> {
  const owner = new Map<string, number>();
  const unique: StoreEvent[] = [];
  batches.forEach((events, b) => {
    for (const event of dedupeBatch(events).unique) {
      if (owner.has(event.id)) continue;
      owner.set(event.id, b);
      unique.push(event);
    }
  });
  return withTransaction(db, async (trx) => {
    const receipt = randomBytes(16).toString('hex');
    const claimed = await claimEvents(trx, storeId, receipt, unique, now);
    const fresh = unique.filter((e) => claimed.has(e.id));
    await applyFacts(trx, storeId, planBatch(fresh, now), now);
    const results: IngestResult[] = batches.map((events) => ({
      accepted: 0,
      duplicates: events.length,
      applied: new Map(),
    }));
    for (const event of fresh) {
      const result = results[owner.get(event.id) as number] as IngestResult;
      result.accepted++;
      result.duplicates--;
      result.applied.set(event.type, (result.applied.get(event.type) ?? 0) + 1);
    }
    return results;
  });
}

async function applyFacts(trx: Trx, storeId: number, plan: BatchPlan, now: Date): Promise<void> {
  // Lock order across all transactions, each table's rows in key order: inbound_events
  // (event id), contacts (phone, then id), carts (cart key), orders (order id), product views
  // (id), stores. Inserts into the append-only tables lock only their own new rows.
  await upsertContacts(trx, storeId, plan.contacts, now);
  const index = await findContacts(trx, storeId, lookupKeys(contactRefs(plan)));
  const { contactBySession, customerByContact } = sessionLinks(plan.identifications, index);
  await linkCustomers(trx, customerByContact);
  const byPhone = (phone: string): number => {
    const id = index.byPhone.get(phone);
    if (id === undefined) throw new Error('contact missing after upsert');
    return id;
  };

  await appendConsents(
    trx,
    storeId,
    plan.consents.map((c) => ({ ...c, contactId: byPhone(c.phone) })),
    now,
  );
  await insertProductViews(
    trx,
    storeId,
    plan.productViews.map((v) => ({
      ...v,
      contactId:
        resolveContact({ customerId: v.customerId ?? undefined }, index) ?? contactBySession.get(v.sessionId) ?? null,
    })),
  );
  await insertNudges(
    trx,
    storeId,
    plan.nudges.map((n) => ({ ...n, contactId: resolveContact(n.ref, index) })),
  );
  await applyCarts(trx, storeId, plan, index, contactBySession, now);
  await applyOrders(trx, storeId, plan, index, now);
  await linkSessionViews(trx, storeId, contactBySession);
  await applyStoreProfile(trx, storeId, plan.storeProfile, now);
}

/**
 * The batch's carts, and those of sessions whose shopper logged in (found without locking), are
 * locked together in key order, then each is decided (decide.ts) and written back.
 */
async function applyCarts(
  trx: Trx,
  storeId: number,
  plan: BatchPlan,
  index: ContactIndex,
  contactBySession: ReadonlyMap<string, number>,
  now: Date,
): Promise<void> {
  const snapshots = new Map(plan.cartSnapshots.map((s) => [s.cartKey, s]));
  const links = new Map(plan.cartContacts.map((l) => [l.cartKey, l]));
  const ofSessions = await sessionCartKeys(trx, storeId, [...contactBySession.keys()]);
  const keys = [...snapshots.keys(), ...links.keys(), ...ofSessions];
  // A session's cart gone since it was found stays gone: only the batch's own carts get stubs.
  const stub = (cart_key: string) =>
    snapshots.has(cart_key) || links.has(cart_key)
      ? { store_id: storeId, cart_key, item_count: 0, created_at: now, updated_at: now }
      : null;
  const stored = await lockSnapshots(trx, 'carts', storeId, keys, stub);
  const changes: CartRow[] = [];
  for (const [cartKey, row] of stored) {
    const snapshot = snapshots.get(cartKey);
    const link = links.get(cartKey);
    const customerId = snapshot?.customerId ?? row.customer_id;
    const change = nextCart(
      row,
      snapshot,
      link,
      {
        fromLink: link ? resolveContact(link.ref, index) : null,
        fromCustomer: customerId ? resolveContact({ customerId }, index) : null,
      },
      now,
      plan.cartDetails.get(cartKey),
    );
    const linked = linkCartSession(row, change, contactBySession);
    if (linked) changes.push(linked);
  }
  await writeSnapshots(trx, 'carts', changes);
}

async function applyOrders(trx: Trx, storeId: number, plan: BatchPlan, index: ContactIndex, now: Date): Promise<void> {
  const stored = await lockSnapshots(trx, 'orders', storeId, [...plan.orders.keys()], (order_id) => ({
    store_id: storeId,
    order_id,
    created_at: now,
    updated_at: now,
  }));
  const changes: OrderRow[] = [];
  for (const [orderId, facts] of plan.orders) {
    const row = stored.get(orderId);
    if (!row) throw new Error('order row missing after lock');
    const latest = facts[facts.length - 1]?.data;
    const ref = {
      ...(latest?.phone ? { phone: latest.phone } : {}),
      ...(latest?.email ? { email: latest.email.trim().toLowerCase() } : {}),
      ...(latest?.customer_id ? { customerId: latest.customer_id } : {}),
    };
    changes.push(nextOrder(row, facts, resolveContact(ref, index), now));
  }
  await writeSnapshots(trx, 'orders', changes);
}
