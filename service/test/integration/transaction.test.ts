import { sql } from 'kysely';
import { withTransaction } from '../../src/db/transaction';
import { countRows, createTestDatabase, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const write = (trx: Parameters<Parameters<typeof withTransaction>[1]>[0], name: string) =>
  trx.insertInto('settings').values({ store_id: 1, name, value: '1', updated_at: new Date() }).execute();

describe('withTransaction', () => {
  it('runs the work again after a deadlock, keeping only the attempt that committed', async () => {
    const hooks: number[] = [];
    let attempts = 0;
    await withTransaction(t.db, async (trx, afterCommit) => {
      attempts++;
      await write(trx, `retry-${attempts}`);
      afterCommit(() => hooks.push(attempts));
      if (attempts === 1) throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
    });
    expect(attempts).toBe(2);
    expect(hooks).toEqual([2]);
    const names = await t.db.selectFrom('settings').select('name').where('name', 'like', 'retry-%').execute();
    expect(names).toEqual([{ name: 'retry-2' }]);
  });

  it('gives up on other errors at once, rolls back, and runs no hook', async () => {
    const before = await countRows(t.db, 'settings');
    const hooks: string[] = [];
    let attempts = 0;
    await expect(
      withTransaction(t.db, async (trx, afterCommit) => {
        attempts++;
        await write(trx, 'never');
        afterCommit(() => hooks.push('ran'));
        await sql`SELECT * FROM no_such_table`.execute(trx);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(attempts).toBe(1);
    expect(hooks).toEqual([]);
    expect(await countRows(t.db, 'settings')).toBe(before);
  });

  it('works in READ COMMITTED', async () => {
    const { rows } = await sql<{ level: string }>`SELECT @@SESSION.tx_isolation AS level`.execute(t.db);
    expect(rows[0]?.level).toBe('READ-COMMITTED');
  });
});
