import { randomBytes } from 'node:crypto';
import type { Db, Trx } from '../db/database';
import { defaultLaneSettings, validateLaneSettings, type LaneName, type LaneSettings } from '../engine/lanes';

/**
 * The recovery engine's settings as they are kept in the database (the SQL edge; the rules
 * themselves live in engine/lanes.ts):
 *
 * - each lane's settings: one JSON row in `lane_settings` per (store, lane);
 * - the store-wide kill switch: `settings` row `sending_paused`, JSON `true` / `false`;
 * - the holdout salt: `settings` row `holdout_salt`, a JSON string generated once per store.
 *
 * Readers take a `Db` or a transaction, so the engine can read them in the transaction that acts on them.
 */

type Queryable = Db | Trx;

const SENDING_PAUSED = 'sending_paused';
const HOLDOUT_SALT = 'holdout_salt';

async function readSetting(db: Queryable, storeId: number, name: string): Promise<unknown> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('store_id', '=', storeId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

async function writeSetting(db: Queryable, storeId: number, name: string, value: unknown, now: Date): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ store_id: storeId, name, value: json, updated_at: now })
    .onDuplicateKeyUpdate({ value: json, updated_at: now })
    .execute();
}

/**
 * A lane's settings: the stored ones, or `defaultLaneSettings(lane)` when none are stored. A
 * stored row that no longer validates against the lane's current schema (the schema evolved, or
 * the row was edited by hand), or is not JSON at all, is ignored: the defaults are returned whole
 * (nothing is merged), and the row stays as it is until the next save replaces it.
 */
export async function laneSettings(db: Queryable, storeId: number, lane: LaneName): Promise<LaneSettings> {
  const row = await db
    .selectFrom('lane_settings')
    .select('settings')
    .where('store_id', '=', storeId)
    .where('lane', '=', lane)
    .executeTakeFirst();
  if (!row) return defaultLaneSettings(lane);
  let stored: unknown;
  try {
    stored = JSON.parse(row.settings);
  } catch {
    return defaultLaneSettings(lane);
  }
  const validation = validateLaneSettings(lane, stored);
  return validation.ok ? validation.value : defaultLaneSettings(lane);
}

/**
 * Stores a lane's settings, replacing any stored before. The caller validates them first
 * (`validateLaneSettings`); what is stored is exactly what `laneSettings` then returns.
 */
export async function saveLaneSettings(
  db: Queryable,
  storeId: number,
  lane: LaneName,
  settings: LaneSettings,
  now: Date,
): Promise<void> {
  const json = JSON.stringify(settings);
  await db
    .insertInto('lane_settings')
    .values({ store_id: storeId, lane, settings: json, updated_at: now })
    .onDuplicateKeyUpdate({ settings: json, updated_at: now })
    .execute();
}

/** Whether the store-wide kill switch is on (reason `all_paused`); off until first set. */
export async function isSendingPaused(db: Queryable, storeId: number): Promise<boolean> {
  return (await readSetting(db, storeId, SENDING_PAUSED)) === true;
}

/** Turns the store-wide kill switch on (`true`: nothing is sent) or off. */
export async function setSendingPaused(db: Queryable, storeId: number, paused: boolean, now: Date): Promise<void> {
  await writeSetting(db, storeId, SENDING_PAUSED, paused, now);
}

/**
 * The store's holdout salt (engine/holdout.ts): 32 random bytes, base64url, generated on first
 * use and kept for good — changing it would reshuffle every contact between holdout and treatment.
 * Race-safe: when several processes generate one at once, INSERT IGNORE keeps the first and every
 * caller returns the one kept.
 */
export async function holdoutSalt(db: Queryable, storeId: number): Promise<string> {
  const existing = await readSetting(db, storeId, HOLDOUT_SALT);
  if (typeof existing === 'string') return existing;
  const candidate = randomBytes(32).toString('base64url');
  await db
    .insertInto('settings')
    .ignore()
    .values({ store_id: storeId, name: HOLDOUT_SALT, value: JSON.stringify(candidate), updated_at: new Date() })
    .execute();
  const kept = await readSetting(db, storeId, HOLDOUT_SALT);
  if (typeof kept !== 'string') throw new Error(`The ${HOLDOUT_SALT} setting of store ${storeId} is not a string`);
  return kept;
}
