import { createHash } from 'node:crypto';
import type { Db } from '../../src/db/database';
import { newLinkCode } from '../../src/links/codes';

/**
 * A tracked link, as a queued message's button carries it (a cart's unless `subjectKind` says
 * otherwise; `cartKey` is then the subject id); returns its code.
 */
export async function insertLink(
  db: Db,
  {
    cartKey = 'cart-1',
    subjectKind = 'cart',
    contactId = 1,
    messageId = 1,
    expiresInMs = 3_600_000,
    now = new Date(),
  } = {},
): Promise<string> {
  const code = newLinkCode();
  await db
    .insertInto('links')
    .values({
      code,
      store_id: 1,
      message_id: messageId,
      subject_kind: subjectKind,
      subject_id: cartKey,
      contact_id: contactId,
      created_at: now,
      expires_at: new Date(now.getTime() + expiresInMs),
    })
    .execute();
  return code;
}

/** Opens `/r/<code>` as a phone would; returns the status and the restore token it was given. */
export async function open(
  base: string,
  code: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; token: string | null }> {
  const res = await fetch(`${base}/r/${code}`, { redirect: 'manual', headers });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  return { status: res.status, token: location ? new URL(location).searchParams.get('cartback_restore') : null };
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
