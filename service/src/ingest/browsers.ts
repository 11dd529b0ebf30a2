import type { Trx } from '../db/database';
import { isNewer, storedStamp } from './order';
import type { BrowserLink } from './plan';
import { contactIdsByPhone } from './sql/contacts';
import { lockKeys, writeKeys, type KeyRow } from './sql/keys';

/**
 * Known-browser keys (kind `browser`, the cookie's `contact_ref`): each keeps the phone and email
 * of the newest `browser.linked` that named it (ties by event id) and points at the contact with
 * that phone. A reference a view names before any `browser.linked` gets a bare key pointing at
 * nobody; when the link comes, the key points at its contact and the views naming it are relinked
 * (apply.ts). Locked after every other kind of key: a browser key depends only on contacts,
 * which are locked before any key. Returns the references whose contact changed.
 */
export async function applyBrowsers(
  trx: Trx,
  storeId: number,
  refs: ReadonlySet<string>,
  links: readonly BrowserLink[],
  byPhone: ReadonlyMap<string, number>,
): Promise<Set<string>> {
  const changed = new Set<string>();
  if (refs.size === 0) return changed;
  const { rows } = await lockKeys(trx, storeId, { browser: refs });
  const newest = new Map(links.map((l) => [l.contactRef, l]));
  const updated: Array<{ row: KeyRow; link: BrowserLink }> = [];
  for (const row of rows.values()) {
    const link = newest.get(row.value);
    if (link && isNewer(link, storedStamp(row.ref_at, row.ref_event_id))) updated.push({ row, link });
  }
  if (updated.length === 0) return changed;
  const phones = new Map([
    ...byPhone,
    ...(await contactIdsByPhone(
      trx,
      storeId,
      updated.map((u) => u.link.phone).filter((p) => !byPhone.has(p)),
    )),
  ]);
  const rewrites: KeyRow[] = updated.map(({ row, link }) => {
    const contactId = phones.get(link.phone) ?? null;
    if (contactId !== row.contact_id) changed.add(row.value);
    return {
      ...row,
      contact_id: contactId,
      ref_phone: link.phone,
      ref_email: link.email,
      ref_customer_id: null,
      ref_at: link.at,
      ref_event_id: link.eventId,
    };
  });
  await writeKeys(
    trx,
    rewrites.sort((a, b) => (a.value < b.value ? -1 : 1)),
  );
  return changed;
}
