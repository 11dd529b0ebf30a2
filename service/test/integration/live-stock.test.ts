import type { CatalogItem, LiveProduct } from '../../src/engine/catalog';
import type { LaneName } from '../../src/engine/lanes';
import { runDueSteps, type StepContext } from '../../src/recovery/stepper';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { stepContext } from '../support/journey';
import { laneFixtures, settingsOf } from '../support/lanes';

/**
 * Live stock and price at send time (issue 11, part 3), on the real database: the stepper reads a
 * cart's, a browse's or a win-back's products from a test catalog before it decides, renders the
 * live price, skips or stops on stock, drops deleted products, and with no catalog answer does
 * what it did before.
 */
const NOW = new Date('2026-06-15T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const EUR_STORE = { timeZone: 'Europe/Berlin', locale: 'en_IE', currency: 'EUR', name: 'Linen Co' };

let t: TestDatabase;
const { contact, enroll, cart, order } = laneFixtures(() => t.db, NOW);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const live = (id: number, price: number | null, patch: Partial<LiveProduct> = {}): LiveProduct => ({
  id,
  name: `Live name ${id}`,
  price,
  inStock: true,
  purchasable: true,
  imageUrl: null,
  ...patch,
});

/** A test catalog: answers from `products` (null: cannot be asked), recording each batch. */
function testCatalog(products: LiveProduct[] | null) {
  const asked: number[][] = [];
  const askedItems: CatalogItem[][] = [];
  const catalog = async (items: readonly CatalogItem[]) => {
    const ids = items.map((item) => item.id);
    asked.push(ids);
    askedItems.push([...items]);
    return products && new Map(products.filter((p) => ids.includes(p.id)).map((p) => [p.id, p]));
  };
  return { catalog, asked, askedItems };
}

async function run(lane: LaneName, change: Partial<StepContext>): Promise<void> {
  await runDueSteps(t.db, stepContext(settingsOf(lane), { lane, store: EUR_STORE, ...change }), NOW);
}

async function outcome(enrollmentId: number) {
  const e = await t.db.selectFrom('enrollments').selectAll().where('id', '=', enrollmentId).executeTakeFirstOrThrow();
  const messages = await t.db.selectFrom('messages').selectAll().where('enrollment_id', '=', enrollmentId).execute();
  return { e, messages, payload: String(messages[0]?.payload ?? '') };
}

describe('a cart step', () => {
  /** A cart of products 11 and 12 (1 × 15.00 each) reported at 33.00 with shipping and tax. */
  async function cartJourney(cell: 'treatment' | 'holdout' = 'treatment') {
    const c = await contact('marketing');
    const at = minutesAgo(30);
    const key = await cart(c.id, at, [11, 12]);
    await t.db.updateTable('carts').set({ total: 3300 }).where('cart_key', '=', key).execute();
    const id = await enroll('abandoned_cart', 'cart', key, c.id, at);
    if (cell === 'holdout') await t.db.updateTable('enrollments').set({ cell }).where('id', '=', id).execute();
    return id;
  }

  it('shows the live price: the total moves by the line difference (15.00 → 12.00)', async () => {
    const id = await cartJourney();
    const { catalog, asked } = testCatalog([live(11, 1200), live(12, 1500)]);
    const askStore = jest.fn(async () => 'no_order' as const);
    await run('abandoned_cart', { catalog, askStore });
    const { messages, payload } = await outcome(id);
    expect(messages.map((m) => m.state)).toEqual(['queued']);
    expect(payload).toContain('"amount_1000":30000');
    expect(payload).not.toContain('"amount_1000":33000');
    expect(asked).toEqual([[11, 12]]);
    expect(askStore).toHaveBeenCalledTimes(1);
  });

  it('asks a variation line by its own id under its product, and shows its live price', async () => {
    const c = await contact('marketing');
    const at = minutesAgo(30);
    const key = await cart(c.id, at, [11, 12]);
    const row = await t.db.selectFrom('carts').select('lines').where('cart_key', '=', key).executeTakeFirstOrThrow();
    const lines = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as Record<string, unknown>[];
    lines[1] = { ...lines[1], variation_id: 121 };
    await t.db
      .updateTable('carts')
      .set({ lines: JSON.stringify(lines), total: 3300 })
      .where('cart_key', '=', key)
      .execute();
    const id = await enroll('abandoned_cart', 'cart', key, c.id, at);
    // The parent (12) itself is not in the store's answer: only the variation is.
    const { catalog, askedItems } = testCatalog([live(11, 1500), live(121, 1200)]);
    await run('abandoned_cart', { catalog });
    const { messages, payload } = await outcome(id);
    expect(askedItems).toEqual([
      [
        { id: 11, parentId: null },
        { id: 121, parentId: 12 },
      ],
    ]);
    expect(messages.map((m) => m.state)).toEqual(['queued']);
    expect(payload).toContain('"amount_1000":30000');
  });

  it('skips the step as out_of_stock when one of two items is out of stock; the journey goes on', async () => {
    const id = await cartJourney();
    const { catalog } = testCatalog([live(11, 1500), live(12, 1500, { inStock: false })]);
    await run('abandoned_cart', { catalog });
    const { e, messages } = await outcome(id);
    expect(messages.map((m) => [m.state, m.error_message])).toEqual([['skipped', 'out_of_stock']]);
    expect({ state: e.state, next: e.next_step }).toEqual({ state: 'active', next: 1 });
  });

  it('skips the same step in the holdout cell', async () => {
    const id = await cartJourney('holdout');
    const { catalog } = testCatalog([live(11, 1500), live(12, 1500, { inStock: false })]);
    await run('abandoned_cart', { catalog });
    expect((await outcome(id)).messages.map((m) => [m.state, m.error_message])).toEqual([['skipped', 'out_of_stock']]);
  });

  it('stops the journey as all_out_of_stock when every item is out of stock', async () => {
    const id = await cartJourney();
    const { catalog } = testCatalog([live(11, 1500, { inStock: false }), live(12, null)]);
    await run('abandoned_cart', { catalog });
    const { e, messages } = await outcome(id);
    expect({ state: e.state, reason: e.stop_reason }).toEqual({ state: 'stopped', reason: 'all_out_of_stock' });
    expect(messages.filter((m) => m.state === 'queued')).toEqual([]);
  });

  it('stops as cart_empty when every product was deleted', async () => {
    const id = await cartJourney();
    await run('abandoned_cart', { catalog: testCatalog([]).catalog });
    const { e } = await outcome(id);
    expect({ state: e.state, reason: e.stop_reason }).toEqual({ state: 'stopped', reason: 'cart_empty' });
  });

  it('goes on the captured cart when the catalog cannot be asked (null), as before', async () => {
    const id = await cartJourney();
    const { catalog, asked } = testCatalog(null);
    await run('abandoned_cart', { catalog });
    const { messages, payload } = await outcome(id);
    expect(messages.map((m) => m.state)).toEqual(['queued']);
    expect(payload).toContain('"amount_1000":33000');
    expect(asked).toEqual([[11, 12]]);
  });
});

const product = (id: number, name: string, price: number) => ({
  product_id: id,
  name,
  price,
  image_url: `https://shop.example/img/${id}.jpg`,
  url: `https://shop.example/product/${id}`,
});

describe('a browse step', () => {
  async function browse() {
    const c = await contact('marketing');
    const id = await enroll('browse_abandonment', 'product', `${c.id}:7`, c.id, minutesAgo(45), {
      currency: 'EUR',
      products: [product(7, 'Linen Shirt', 2499)],
    });
    return { c, id };
  }

  it('stops as products_gone when the viewed product was deleted', async () => {
    const { id } = await browse();
    await run('browse_abandonment', { catalog: testCatalog([live(8, 100)]).catalog });
    const { e, messages } = await outcome(id);
    expect({ state: e.state, reason: e.stop_reason }).toEqual({ state: 'stopped', reason: 'products_gone' });
    expect(messages).toEqual([]);
    const history = await t.db.selectFrom('enrollment_history').selectAll().where('enrollment_id', '=', id).execute();
    expect(history.map((h) => h.detail)).toContain('no longer in the store: product 7');
  });

  it('shows the live price and image', async () => {
    const { id } = await browse();
    const image = 'https://shop.example/img/7-new.jpg';
    await run('browse_abandonment', { catalog: testCatalog([live(7, 1999, { imageUrl: image })]).catalog });
    const { payload } = await outcome(id);
    expect(payload).toContain('Linen Shirt');
    expect(payload).toContain('"amount_1000":19990');
    expect(payload).toContain(image);
  });

  it('does not ask the store when the step stops anyway (a paid order since the view)', async () => {
    const { c, id } = await browse();
    await order(c.id, 'processing', minutesAgo(10), [99]);
    const { catalog, asked } = testCatalog([live(7, 2499)]);
    await run('browse_abandonment', { catalog });
    expect((await outcome(id)).e.stop_reason).toBe('converted');
    expect(asked).toEqual([]);
  });
});

describe('a win-back step', () => {
  it('goes with the two products in stock when one of three is out of stock', async () => {
    const c = await contact('marketing');
    const id = await enroll('winback', 'winback', String(c.id), c.id, minutesAgo(90), {
      products: [product(101, 'Kurta', 1800), product(102, 'Dupatta', 900), product(103, 'Sandals', 2500)],
    });
    const { catalog } = testCatalog([live(101, 1800), live(102, 900, { inStock: false }), live(103, 2500)]);
    await run('winback', { catalog });
    const { messages, payload } = await outcome(id);
    expect(messages.map((m) => m.state)).toEqual(['queued']);
    expect(payload).toContain('Kurta and Sandals');
    expect(payload).not.toContain('Dupatta');
  });
});
