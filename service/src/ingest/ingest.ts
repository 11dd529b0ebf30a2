import { randomBytes } from 'node:crypto';
import type { StoreEvent } from '@cartback/shared';
import type { Db, Trx } from '../db/database';
import { withTransaction } from '../db/transaction';
import { nextCart, nextOrder, type CartRow, type OrderRow } from './decide';
import { dedupeBatch, planBatch, type BatchPlan } from './plan';
import { contactRefs, lookupKeys, resolveContact } from './resolve';
import { appendConsents, insertNudges, insertProductViews, linkSessions } from './sql/activity';
import { findContacts, upsertContacts, type ContactIndex } from './sql/contacts';
import { claimEvents } from './sql/inbound-events';
import { lockSnapshots, writeSnapshots } from './sql/snapshots';
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
  // Lock order across all transactions: inbound_events, contacts, carts, orders, stores.
  await upsertContacts(trx, storeId, plan.contacts, now);
  const index = await findContacts(trx, storeId, lookupKeys(contactRefs(plan)));
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
      contactId: resolveContact({ customerId: v.customerId ?? undefined }, index),
    })),
  );
  await insertNudges(
    trx,
    storeId,
    plan.nudges.map((n) => ({ ...n, contactId: resolveContact(n.ref, index) })),
  );
  await applyCarts(trx, storeId, plan, index, now);
  await applyOrders(trx, storeId, plan, index, now);
  await linkSessions(
    trx,
    storeId,
    plan.identifications.map((identification) => ({
      identification,
      contactId: resolveContact(identification.ref, index),
    })),
  );
  await applyStoreProfile(trx, storeId, plan.storeProfile, now);
}

async function applyCarts(trx: Trx, storeId: number, plan: BatchPlan, index: ContactIndex, now: Date): Promise<void> {
  const snapshots = new Map(plan.cartSnapshots.map((s) => [s.cartKey, s]));
  const links = new Map(plan.cartContacts.map((l) => [l.cartKey, l]));
  const stored = await lockSnapshots(trx, 'carts', storeId, [...snapshots.keys(), ...links.keys()], (cart_key) => ({
    store_id: storeId,
    cart_key,
    item_count: 0,
    created_at: now,
    updated_at: now,
  }));
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
    if (change) changes.push(change);
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
