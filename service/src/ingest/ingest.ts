import { randomBytes } from 'node:crypto';
import type { StoreEvent } from '@cartback/shared';
import type { Db, Trx } from '../db/database';
import { withTransaction } from '../db/transaction';
import { nextCart, nextOrder, type CartRow, type OrderRow, type RowChange } from './decide';
import { dedupeBatch, planBatch, type BatchPlan } from './plan';
import { contactRefs, lookupKeys, resolveContact } from './resolve';
import { appendConsents, insertNudges, insertProductViews, linkSession } from './sql/activity';
import { lockCarts, writeCarts } from './sql/carts';
import { findContacts, upsertContacts, type ContactIndex } from './sql/contacts';
import { claimEvents } from './sql/inbound-events';
import { lockOrders, writeOrders } from './sql/orders';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Event types applied, for metrics; reported only after the commit. */
  applied: Map<string, number>;
}

/**
 * Applies a validated batch exactly once, in one transaction: events seen before (in this batch
 * or any earlier one) are counted as duplicates and change nothing; everything else is applied,
 * or, on any error, nothing is.
 */
export async function ingestBatch(
  db: Db,
  storeId: number,
  events: readonly StoreEvent[],
  now: Date = new Date(),
): Promise<IngestResult> {
  const { unique } = dedupeBatch(events);
  return withTransaction(db, async (trx) => {
    const receipt = randomBytes(16).toString('hex');
    const raw = new Map(unique.map((e) => [e.id, JSON.stringify(e)]));
    const claimed = await claimEvents(trx, storeId, receipt, unique, raw, now);
    const fresh = unique.filter((e) => claimed.has(e.id));
    await applyFacts(trx, storeId, planBatch(fresh), now);
    const applied = new Map<string, number>();
    for (const e of fresh) applied.set(e.type, (applied.get(e.type) ?? 0) + 1);
    return { accepted: fresh.length, duplicates: events.length - fresh.length, applied };
  });
}

async function applyFacts(trx: Trx, storeId: number, plan: BatchPlan, now: Date): Promise<void> {
  // Lock order across all transactions: inbound_events, contacts, carts, orders.
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
  for (const identification of plan.identifications) {
    await linkSession(trx, storeId, identification, resolveContact(identification.ref, index));
  }
}

async function applyCarts(trx: Trx, storeId: number, plan: BatchPlan, index: ContactIndex, now: Date): Promise<void> {
  const snapshots = new Map(plan.cartSnapshots.map((s) => [s.cartKey, s]));
  const links = new Map(plan.cartContacts.map((l) => [l.cartKey, l]));
  const stored = await lockCarts(trx, storeId, [...snapshots.keys(), ...links.keys()], now);
  const changes: Array<RowChange<CartRow>> = [];
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
    );
    if (change) changes.push(change);
  }
  await writeCarts(trx, storeId, changes);
}

async function applyOrders(trx: Trx, storeId: number, plan: BatchPlan, index: ContactIndex, now: Date): Promise<void> {
  const stored = await lockOrders(trx, storeId, [...plan.orders.keys()], now);
  const changes: Array<RowChange<OrderRow>> = [];
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
  await writeOrders(trx, storeId, changes);
}
