import type { Selectable } from 'kysely';
import type { EnrollmentsTable } from '../db/schema';
import type { FinalDecision, StoreCheck } from '../engine/decision';
import { subjectVerdict } from '../engine/subject';
import type { OrdersQuery } from '../store/client';
import type { StepFacts } from './facts';

/** The stepper's words for what it did and asked (recovery/stepper.ts). */

type Enrollment = Selectable<EnrollmentsTable>;

/** The history entry's detail for a decision: why it was stopped, until when deferred. */
export function detailOf(
  e: Enrollment,
  decision: FinalDecision,
  check: StoreCheck,
  facts: StepFacts | null,
): string | null {
  if (decision.kind === 'defer') return `until ${decision.until.toISOString()}`;
  const verdict = facts ? subjectVerdict(facts.subject) : null;
  const began = e.subject_kind === 'order' ? 'the order was placed' : 'the cart began';
  if (decision.kind === 'stop' && decision.reason === 'converted') {
    if (verdict?.converted) return verdict.detail;
    if (check === 'ordered') return `the store reports a paid order since ${began}`;
  }
  if (decision.kind === 'stop' && decision.reason === 'payment_pending' && check === 'payment_pending') {
    if (!verdict?.paymentPending) return `the store reports an unpaid order since ${began}`;
  }
  return null;
}

/**
 * What the store is asked: orders since the subject began (the cart, or the unpaid order's
 * placing), by this cart (carts only), phone, email or customer.
 */
export function ordersQuery(e: Enrollment, facts: StepFacts): OrdersQuery {
  const email = facts.contact.email ?? facts.cart?.email ?? facts.order?.email ?? null;
  const customerId = facts.cart?.customer_id ?? facts.order?.customer_id ?? facts.contact.customerId ?? null;
  return {
    since: e.episode_at,
    ...(e.subject_kind === 'cart' ? { cartKey: e.subject_id } : {}),
    phone: facts.contact.phone,
    ...(email ? { email } : {}),
    ...(customerId ? { customerId } : {}),
  };
}
