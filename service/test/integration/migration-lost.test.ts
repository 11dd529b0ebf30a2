import { Migrator } from 'kysely';
import { migrations } from '../../migrations';
import { migrateToLatest } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../support/db';

/** 0007: messages already `unknown` before the sweep existed get their last update as attempt time. */
let t: TestDatabase;
beforeAll(async () => (t = await createTestDatabase(false)));
afterAll(() => t.drop());

it('gives unknown and submitting messages from before it their last update as attempt time, and no other', async () => {
  const migrator = new Migrator({
    db: t.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  expect((await migrator.migrateTo('0006_link_opens')).error).toBeUndefined();
  const updated = new Date('2026-11-19T08:30:00.000Z');
  const base = {
    store_id: 1,
    step: 0,
    lane: 'abandoned_cart',
    category: 'marketing',
    contact_id: 1,
    phone: '+919800000008',
    due_at: updated,
    created_at: updated,
    updated_at: updated,
  };
  // Through the old schema: no attempted_at column yet.
  await t.db
    .insertInto('messages')
    .values([
      { ...base, enrollment_id: 1, state: 'unknown' },
      { ...base, enrollment_id: 2, state: 'submitting' },
      { ...base, enrollment_id: 3, state: 'submitted' },
    ] as never)
    .execute();
  // 0007 and every migration after it (later ones are added at the end).
  expect((await migrateToLatest(t.db)).slice(0, 2)).toEqual(['0007_lost_messages', '0008_order_tolerance']);
  const rows = await t.db
    .selectFrom('messages')
    .select(['enrollment_id', 'state', 'attempted_at', 'lost_at'])
    .orderBy('enrollment_id')
    .execute();
  expect(rows).toEqual([
    { enrollment_id: 1, state: 'unknown', attempted_at: updated, lost_at: null },
    { enrollment_id: 2, state: 'submitting', attempted_at: updated, lost_at: null },
    { enrollment_id: 3, state: 'submitted', attempted_at: null, lost_at: null },
  ]);
  await t.db.updateTable('messages').set({ state: 'lost' }).where('enrollment_id', '=', 1).execute();
  expect(
    (await t.db.selectFrom('messages').select('state').where('enrollment_id', '=', 1).executeTakeFirst())?.state,
  ).toBe('lost');
});
