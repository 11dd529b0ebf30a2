import { randomBytes } from 'node:crypto';
import type { Db } from './db/database';

const SETTING = 'cartback_secret';

/**
 * The shared secret that signs every plugin call. CARTBACK_SECRET wins when set; otherwise the
 * one kept in the database; otherwise a new one (256 random bits) is generated and kept.
 * `generated` is true only for the process that created it, so it is announced once, even when
 * several sidecars start together.
 */
export async function resolveSecret(
  db: Db,
  storeId: number,
  configured: string | undefined,
): Promise<{ secret: string; generated: boolean }> {
  if (configured) return { secret: configured, generated: false };
  const read = async () =>
    db
      .selectFrom('settings')
      .select('value')
      .where('store_id', '=', storeId)
      .where('name', '=', SETTING)
      .executeTakeFirst();
  const existing = await read();
  if (existing) return { secret: JSON.parse(existing.value) as string, generated: false };
  const candidate = randomBytes(32).toString('base64url');
  await db
    .insertInto('settings')
    .ignore()
    .values({ store_id: storeId, name: SETTING, value: JSON.stringify(candidate), updated_at: new Date() })
    .execute();
  const kept = JSON.parse((await read())?.value ?? 'null') as string;
  return { secret: kept, generated: kept === candidate };
}

/** What a person reads the one time a secret is generated (stdout, never the log). */
export function secretAnnouncement(secret: string, publicBaseUrl: string): string {
  return [
    '',
    'Cartback generated a shared secret for this sidecar and kept it in its database:',
    '',
    `    ${secret}`,
    '',
    'Enter it in WordPress (WooCommerce > Cartback > Connection) with the sidecar URL',
    `${publicBaseUrl}. It is shown only this once. To choose your own instead, set`,
    'CARTBACK_SECRET (at least 32 characters) in the environment of the sidecar.',
    '',
    '',
  ].join('\n');
}
