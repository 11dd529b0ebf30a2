import type { Trx } from '../db/database';
import { LockedTooLittle } from '../db/transaction';
import { applyBrowsers } from './browsers';
import { attributeStamp, foldContact, settleContact, type ContactRow } from './contact-facts';
import { holderOf, refContact, type LinkMaps } from './links';
import { isNewer, newest, storedStamp } from './order';
import type { BatchPlan, Identification } from './plan';
import { batchKeys } from './resolve';
import { contactIdsByPhone, contactsHolding, lockContacts, writeContacts } from './sql/contacts';
import {
  emailLoginsOf,
  keyId,
  lockKeys,
  readKeys,
  sessionsNaming,
  writeKeys,
  type KeyRow,
  type KeySet,
} from './sql/keys';

/** The keys whose contact this transaction changed: rows that name them are relinked. */
export interface KeyChanges {
  customers: Set<number>;
  emails: Set<string>;
  phones: Set<string>;
  sessions: Set<string>;
  browsers: Set<string>;
}

/** What the keys point at now (a plain read, after the caller locked the rows it links). */
export async function readMaps(
  trx: Trx,
  storeId: number,
  keys: {
    phones?: Iterable<string>;
    emails?: Iterable<string>;
    customers?: Iterable<number>;
    sessions?: Iterable<string>;
    browsers?: Iterable<string>;
  },
): Promise<LinkMaps> {
  const set: KeySet = {
    email: keys.emails ?? [],
    customer: keys.customers ?? [],
    session: keys.sessions ?? [],
    browser: keys.browsers ?? [],
  };
  const [byPhone, pointed] = await Promise.all([
    contactIdsByPhone(trx, storeId, [...(keys.phones ?? [])]),
    readKeys(trx, storeId, set),
  ]);
  const maps = {
    byPhone,
    byEmail: new Map<string, number>(),
    byCustomer: new Map<number, number>(),
    bySession: new Map<string, number>(),
    byBrowser: new Map<string, number>(),
  };
  for (const [id, contactId] of pointed) {
    const [kind, ...rest] = id.split(':');
    const value = rest.join(':');
    if (kind === 'email') maps.byEmail.set(value, contactId);
    else if (kind === 'customer') maps.byCustomer.set(Number(value), contactId);
    else if (kind === 'session') maps.bySession.set(value, contactId);
    else if (kind === 'browser') maps.byBrowser.set(value, contactId);
  }
  return maps;
}

/**
 * Contacts, then the keys that point at them. Contacts are locked by phone (the batch's, and
 * those whose email a login without a phone names) and updated field by field
 * (contact-facts.ts); then the keys the batch names, and those of emails and customer ids that
 * moved between contacts, are locked, each kind in value order: emails (which keep the logins
 * by email that settle contacts' customer ids), then customer ids and phones, then sessions,
 * which may depend on the others, and last known browsers (browsers.ts). Each key whose contact
 * changes is rewritten. Returns the contacts by phone and the keys that changed.
 */
export async function applyIdentity(
  trx: Trx,
  storeId: number,
  plan: BatchPlan,
  now: Date,
): Promise<{ byPhone: Map<string, number>; changed: KeyChanges }> {
  // A login that names no phone but an email gives its customer id to the contact with that
  // email (kept with the email's key, so it holds whenever that contact gets the email).
  const emailLogins = new Map<string, Identification>();
  for (const i of plan.identifications) {
    if (i.ref.phone || !i.ref.email) continue;
    emailLogins.set(i.ref.email, newest([emailLogins.get(i.ref.email) ?? i, i]) as Identification);
  }
  const named = await contactsHolding(trx, storeId, [...emailLogins.keys()], []);
  const { rows: contacts, created } = await lockContacts(
    trx,
    storeId,
    plan.contacts,
    now,
    named.map((c) => c.phone),
  );
  const factsByPhone = new Map(plan.contacts.map((f) => [f.phone, f]));
  for (const f of plan.contacts) if (!contacts.has(f.phone)) throw new Error('contact missing after lock');
  const folded = new Map([...contacts].map(([phone, row]) => [phone, foldContact(row, factsByPhone.get(phone))]));
  const movedEmails = new Set<string>();
  for (const [phone, row] of folded) {
    const stored = contacts.get(phone) as ContactRow;
    // Gained, lost, or got again from a newer event (which may make it this contact's).
    const moved = JSON.stringify(attributeStamp(row, 'email')) !== JSON.stringify(attributeStamp(stored, 'email'));
    if (moved || row.email !== stored.email) for (const e of [row.email, stored.email]) if (e) movedEmails.add(e);
  }

  // Email keys first (the contacts' customer ids depend on their logins), then the others.
  const keys = batchKeys(plan);
  const emails = await lockKeys(trx, storeId, { email: [...keys.emails, ...movedEmails] });
  // A contact that got one of those emails after we looked, from a transaction that read the
  // email's key before this one changes it, would miss the login: look again, under the lock.
  if (emailLogins.size > 0) {
    const holding = await contactsHolding(trx, storeId, [...emailLogins.keys()], []);
    if (holding.some((c) => !contacts.has(c.phone)))
      throw new LockedTooLittle('a login names a new holder of its email');
  }
  const loginRows: KeyRow[] = [];
  for (const [email, login] of emailLogins) {
    const row = emails.rows.get(keyId('email', email));
    if (!row || !isNewer(login, storedStamp(row.ref_at, row.ref_event_id))) continue;
    Object.assign(row, { ref_customer_id: login.customerId, ref_at: login.at, ref_event_id: login.eventId });
    loginRows.push(row);
  }
  await writeKeys(trx, loginRows);
  const byEmailLogin = await emailLoginsOf(
    trx,
    storeId,
    [...folded.values()].flatMap((r) => (r.email ? [r.email] : [])),
  );
  const writes: ContactRow[] = [];
  const movedCustomers = new Set<number>();
  for (const [phone, row] of folded) {
    const change = settleContact(
      contacts.get(phone) as ContactRow,
      row,
      row.email ? byEmailLogin.get(row.email) : undefined,
      now,
    );
    if (!change) continue;
    writes.push(change.row);
    for (const e of change.emails) movedEmails.add(e);
    for (const c of change.customerIds) movedCustomers.add(c);
  }
  await writeContacts(trx, writes);
  const byPhone = new Map([...contacts].map(([phone, row]) => [phone, row.id]));

  const others = await lockKeys(trx, storeId, {
    customer: [...keys.customers, ...movedCustomers],
    phone: [...keys.phones, ...created],
  });
  const first = {
    rows: new Map([...emails.rows, ...others.rows]),
    created: new Set([...emails.created, ...others.created]),
  };
  const changed: KeyChanges = {
    customers: new Set(),
    emails: new Set(),
    phones: new Set(),
    sessions: new Set(),
    browsers: new Set(),
  };
  const rewrites: KeyRow[] = [];
  const point = (row: KeyRow, contactId: number | null, mark: () => void) => {
    if (row.contact_id === contactId) return;
    rewrites.push({ ...row, contact_id: contactId });
    row.contact_id = contactId;
    mark();
  };

  // Emails and customer ids: recomputed where a contact gained or lost one, or the key is new.
  const dirtyEmails = [...first.rows.values()].filter(
    (r) => r.kind === 'email' && (movedEmails.has(r.value) || first.created.has(keyId('email', r.value))),
  );
  const dirtyCustomers = [...first.rows.values()].filter(
    (r) =>
      r.kind === 'customer' && (movedCustomers.has(Number(r.value)) || first.created.has(keyId('customer', r.value))),
  );
  const holders = await contactsHolding(
    trx,
    storeId,
    dirtyEmails.map((r) => r.value),
    dirtyCustomers.map((r) => Number(r.value)),
  );
  for (const row of dirtyEmails) {
    const of = holders
      .filter((h) => h.email === row.value)
      .map((h) => ({ id: h.id, phone: h.phone, stamp: attributeStamp(h, 'email') }));
    point(row, holderOf(of), () => changed.emails.add(row.value));
  }
  for (const row of dirtyCustomers) {
    const id = Number(row.value);
    const of = holders
      .filter((h) => h.customer_id === id)
      .map((h) => ({ id: h.id, phone: h.phone, stamp: attributeStamp(h, 'customer_id') }));
    point(row, holderOf(of), () => changed.customers.add(id));
  }
  // Phones (named by nudges): the contact with that phone, once there is one.
  const phoneRows = [...first.rows.values()].filter((r) => r.kind === 'phone');
  const phones = new Map([
    ...byPhone,
    ...(await contactIdsByPhone(
      trx,
      storeId,
      phoneRows.map((r) => r.value).filter((p) => !byPhone.has(p)),
    )),
  ]);
  for (const row of phoneRows) point(row, phones.get(row.value) ?? null, () => changed.phones.add(row.value));

  // Sessions: their newest login, and whom it names now.
  const logins = new Map<string, Identification>();
  for (const i of plan.identifications)
    logins.set(i.sessionId, newest([logins.get(i.sessionId) ?? i, i]) as Identification);
  const naming = await sessionsNaming(trx, storeId, [...changed.emails], [...changed.customers]);
  const second = await lockKeys(trx, storeId, { session: [...keys.sessions, ...naming] });
  const recompute: KeyRow[] = [];
  for (const row of second.rows.values()) {
    const login = logins.get(row.value);
    if (login && isNewer(login, storedStamp(row.ref_at, row.ref_event_id))) {
      const updated: KeyRow = {
        ...row,
        ref_phone: login.ref.phone ?? null,
        ref_email: login.ref.email ?? null,
        ref_customer_id: login.ref.customerId ?? null,
        ref_at: login.at,
        ref_event_id: login.eventId,
      };
      rewrites.push(updated);
      recompute.push(updated);
    } else if (naming.includes(row.value)) recompute.push(row);
  }
  const refPhones = await contactIdsByPhone(
    trx,
    storeId,
    recompute.flatMap((r) => (r.ref_phone && !phones.has(r.ref_phone) ? [r.ref_phone] : [])),
  );
  const maps: LinkMaps = {
    byPhone: new Map([...phones, ...refPhones]),
    byEmail: new Map(
      [...first.rows.values()].flatMap((r) =>
        r.kind === 'email' && r.contact_id !== null ? [[r.value, r.contact_id]] : [],
      ),
    ),
    byCustomer: new Map(
      [...first.rows.values()].flatMap((r) =>
        r.kind === 'customer' && r.contact_id !== null ? [[Number(r.value), r.contact_id]] : [],
      ),
    ),
    bySession: new Map(),
    byBrowser: new Map(),
  };
  for (const row of recompute) {
    const contactId = refContact(
      {
        ...(row.ref_phone ? { phone: row.ref_phone } : {}),
        ...(row.ref_email ? { email: row.ref_email } : {}),
        ...(row.ref_customer_id ? { customerId: row.ref_customer_id } : {}),
      },
      maps,
    );
    if (row.contact_id !== contactId) {
      const i = rewrites.findIndex((r) => r.kind === 'session' && r.value === row.value);
      if (i >= 0) rewrites[i] = { ...(rewrites[i] as KeyRow), contact_id: contactId };
      else rewrites.push({ ...row, contact_id: contactId });
      changed.sessions.add(row.value);
    }
  }
  await writeKeys(trx, rewrites);
  // Last, known browsers: they point at a contact by phone only.
  changed.browsers = await applyBrowsers(trx, storeId, keys.browsers, plan.browserLinks, byPhone);
  return { byPhone, changed };
}
