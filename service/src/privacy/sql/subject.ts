import type { Expression, SqlBool } from 'kysely';
import type { Db, Trx } from '../../db/database';
import type { PrivacyRequest } from '../request';

/**
 * Everything the sidecar holds about one person, as keys: the contacts matching the email or
 * phone (and those sharing their WordPress customer id), and every row tied to them by contact,
 * phone, email, customer id, cart, browsing session or known-browser reference (the references
 * whose newest `browser.linked` named them: their views were seen in the person's browser). Export and erasure both act on exactly
 * this set, so what is exported is what is erased.
 */
export interface Subject {
  contactIds: number[];
  phones: string[];
  emails: string[];
  customerIds: number[];
  consentIds: number[];
  cartKeys: string[];
  sessionIds: string[];
  /** Known-browser references that point at the person (contact_keys of kind `browser`). */
  contactRefs: string[];
  orderIds: number[];
  productViewIds: number[];
  nudgeIds: number[];
  messageIds: number[];
}

/** `[build(values)]` when there are values, else nothing: an OR over no terms matches no row. */
export function whenAny<V>(
  values: readonly V[],
  build: (values: V[]) => Expression<SqlBool>,
): Array<Expression<SqlBool>> {
  return values.length > 0 ? [build([...values])] : [];
}

const unique = <T>(values: ReadonlyArray<T | null | undefined>): T[] =>
  [...new Set(values.filter((v): v is T => v !== null && v !== undefined && v !== ''))].sort();

/**
 * Resolves the subject of a privacy request. With `lock`, the matching contacts are locked
 * (FOR UPDATE), so ingestion cannot attach new facts to them while they are being erased.
 */
export async function findSubject(
  db: Db | Trx,
  storeId: number,
  request: PrivacyRequest,
  { lock = false }: { lock?: boolean } = {},
): Promise<Subject> {
  const contactQuery = () => {
    const query = db
      .selectFrom('contacts')
      .select(['id', 'phone', 'email', 'customer_id'])
      .where('store_id', '=', storeId);
    return lock ? query.forUpdate() : query;
  };
  const direct = await contactQuery()
    .where((eb) =>
      eb.or([
        ...whenAny(unique([request.phone]), (v) => eb('phone', 'in', v)),
        ...whenAny(unique([request.email]), (v) => eb('email', 'in', v)),
      ]),
    )
    .execute();
  const sharedCustomer = unique(direct.map((c) => c.customer_id));
  const sameCustomer = sharedCustomer.length
    ? await contactQuery().where('customer_id', 'in', sharedCustomer).execute()
    : [];
  const contacts = [...direct, ...sameCustomer];
  const contactIds = unique(contacts.map((c) => c.id));
  const phones = unique([request.phone, ...contacts.map((c) => c.phone)]);
  const emails = unique([request.email, ...contacts.map((c) => c.email?.toLowerCase())]);

  const orders = await db
    .selectFrom('orders')
    .select(['order_id', 'cart_key', 'customer_id'])
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...whenAny(contactIds, (v) => eb('contact_id', 'in', v)),
        ...whenAny(phones, (v) => eb('phone', 'in', v)),
        ...whenAny(emails, (v) => eb('email', 'in', v)),
        ...whenAny(sharedCustomer, (v) => eb('customer_id', 'in', v)),
      ]),
    )
    .execute();
  const customerIds = unique([...sharedCustomer, ...orders.map((o) => o.customer_id)]);

  const carts = await db
    .selectFrom('carts')
    .select(['cart_key', 'session_id'])
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...whenAny(contactIds, (v) => eb('contact_id', 'in', v)),
        ...whenAny(emails, (v) => eb('email', 'in', v)),
        ...whenAny(customerIds, (v) => eb('customer_id', 'in', v)),
        ...whenAny(unique(orders.map((o) => o.cart_key)), (v) => eb('cart_key', 'in', v)),
      ]),
    )
    .execute();
  const sessionIds = unique(carts.map((c) => c.session_id));

  const ids = async (table: 'consent_ledger' | 'channel_nudges') =>
    (
      await db
        .selectFrom(table)
        .select('id')
        .where('store_id', '=', storeId)
        .where((eb) =>
          eb.or([
            ...whenAny(contactIds, (v) => eb('contact_id', 'in', v)),
            ...whenAny(phones, (v) => eb('phone', 'in', v)),
            ...whenAny(emails, (v) => eb('email', 'in', v)),
          ]),
        )
        .execute()
    ).map((r) => r.id);

  const contactRefs = unique(
    (
      await db
        .selectFrom('contact_keys')
        .select('value')
        .where('store_id', '=', storeId)
        .where('kind', '=', 'browser')
        .where((eb) =>
          eb.or([
            ...whenAny(contactIds, (v) => eb('contact_id', 'in', v)),
            ...whenAny(phones, (v) => eb('ref_phone', 'in', v)),
          ]),
        )
        .execute()
    ).map((r) => r.value),
  );

  const productViews = await db
    .selectFrom('product_views')
    .select('id')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...whenAny(contactIds, (v) => eb('contact_id', 'in', v)),
        ...whenAny(customerIds, (v) => eb('customer_id', 'in', v)),
        ...whenAny(sessionIds, (v) => eb('session_id', 'in', v)),
        ...whenAny(contactRefs, (v) => eb('contact_ref', 'in', v)),
      ]),
    )
    .execute();

  const messages = await db
    .selectFrom('messages')
    .select('id')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...whenAny(contactIds, (v) => eb('contact_id', 'in', v)),
        ...whenAny(phones, (v) => eb('phone', 'in', v)),
      ]),
    )
    .execute();

  return {
    contactIds,
    phones,
    emails,
    customerIds,
    consentIds: await ids('consent_ledger'),
    cartKeys: unique(carts.map((c) => c.cart_key)),
    sessionIds,
    contactRefs,
    orderIds: unique(orders.map((o) => o.order_id)),
    productViewIds: productViews.map((r) => r.id),
    nudgeIds: await ids('channel_nudges'),
    messageIds: messages.map((r) => r.id),
  };
}
