import type { ContactIndex } from './sql/contacts';
import type { BatchPlan, ContactRef, Identification } from './plan';

/** The contact a reference points at: by phone, else email, else customer id. */
export function resolveContact(ref: ContactRef, index: ContactIndex): number | null {
  return (
    (ref.phone !== undefined ? index.byPhone.get(ref.phone) : undefined) ??
    (ref.email !== undefined ? index.byEmail.get(ref.email) : undefined) ??
    (ref.customerId !== undefined ? index.byCustomer.get(ref.customerId) : undefined) ??
    null
  );
}

/** Every reference a plan makes to a contact, so one query can find them all. */
export function contactRefs(plan: BatchPlan): ContactRef[] {
  const refs: ContactRef[] = [
    ...plan.contacts.map((c) => ({ phone: c.phone })),
    ...plan.cartContacts.map((l) => l.ref),
    ...plan.nudges.map((n) => n.ref),
    ...plan.identifications.map((i) => i.ref),
  ];
  for (const s of plan.cartSnapshots) if (s.customerId) refs.push({ customerId: s.customerId });
  for (const v of plan.productViews) if (v.customerId) refs.push({ customerId: v.customerId });
  for (const facts of plan.orders.values()) {
    for (const f of facts) {
      refs.push({
        ...(f.data.phone ? { phone: f.data.phone } : {}),
        ...(f.data.email ? { email: f.data.email.trim().toLowerCase() } : {}),
        ...(f.data.customer_id ? { customerId: f.data.customer_id } : {}),
      });
    }
  }
  return refs;
}

export function lookupKeys(refs: readonly ContactRef[]): { phones: string[]; emails: string[]; customerIds: number[] } {
  const phones = new Set<string>();
  const emails = new Set<string>();
  const customerIds = new Set<number>();
  for (const r of refs) {
    if (r.phone) phones.add(r.phone);
    if (r.email) emails.add(r.email);
    if (r.customerId) customerIds.add(r.customerId);
  }
  return { phones: [...phones], emails: [...emails], customerIds: [...customerIds] };
}

/**
 * What the batch's logins link, resolved: each session's contact (its anonymous carts and
 * product views join it) and each contact's customer id (kept only where it has none).
 */
export function sessionLinks(
  identifications: readonly Identification[],
  index: ContactIndex,
): { contactBySession: Map<string, number>; customerByContact: Map<number, number> } {
  const contactBySession = new Map<string, number>();
  const customerByContact = new Map<number, number>();
  for (const identification of identifications) {
    const contactId = resolveContact(identification.ref, index);
    if (contactId === null) continue;
    contactBySession.set(identification.sessionId, contactId);
    customerByContact.set(contactId, identification.customerId);
  }
  return { contactBySession, customerByContact };
}
