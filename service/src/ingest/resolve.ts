import type { BatchPlan } from './plan';

/** The keys a batch names its shoppers by (links.ts): each is locked before rows are linked by it. */
export interface BatchKeys {
  customers: Set<number>;
  emails: Set<string>;
  /** Phones only nudges name (every other phone in a batch is a contact it creates or updates). */
  phones: Set<string>;
  sessions: Set<string>;
  /** Known-browser references (views that carry one, and `browser.linked`). */
  browsers: Set<string>;
}

/** Every key the plan's rows are linked by. Pure. */
export function batchKeys(plan: BatchPlan): BatchKeys {
  const keys: BatchKeys = {
    customers: new Set(),
    emails: new Set(),
    phones: new Set(),
    sessions: new Set(),
    browsers: new Set(),
  };
  const ref = (r: { phone?: string; email?: string; customerId?: number }) => {
    if (r.email) keys.emails.add(r.email);
    if (r.customerId) keys.customers.add(r.customerId);
  };
  for (const l of plan.cartContacts) ref(l.ref);
  for (const [, fields] of plan.cartFields) {
    if (fields.customerId) keys.customers.add(fields.customerId.value);
    if (fields.sessionId) keys.sessions.add(fields.sessionId.value);
    if (fields.email) keys.emails.add(fields.email.value);
  }
  for (const v of plan.productViews) {
    keys.sessions.add(v.sessionId);
    if (v.customerId) keys.customers.add(v.customerId);
    if (v.contactRef) keys.browsers.add(v.contactRef);
  }
  for (const b of plan.browserLinks) keys.browsers.add(b.contactRef);
  for (const n of plan.nudges) {
    ref(n.ref);
    if (n.ref.phone) keys.phones.add(n.ref.phone);
  }
  for (const i of plan.identifications) {
    ref(i.ref);
    keys.sessions.add(i.sessionId);
  }
  for (const facts of plan.orders.values()) {
    for (const f of facts) {
      const email = f.data.email?.trim().toLowerCase();
      if (email) keys.emails.add(email);
      if (f.data.customer_id) keys.customers.add(f.data.customer_id);
    }
  }
  return keys;
}
