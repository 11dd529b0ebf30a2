import type { CatalogItem, LiveProduct } from '../../../src/engine/catalog';
import { cachedCatalog } from '../../../src/recovery/catalog-cache';

const product = (id: number, price = 500): LiveProduct => ({
  id,
  name: `P${id}`,
  price,
  inStock: true,
  purchasable: true,
  imageUrl: null,
});

/** A store double: records each batch it is asked, answers from `products` (or null when down). */
function store(products: LiveProduct[]) {
  const asked: number[][] = [];
  const askedItems: CatalogItem[][] = [];
  let down = false;
  const read = async (items: readonly CatalogItem[]) => {
    const ids = items.map((item) => item.id);
    asked.push(ids);
    askedItems.push([...items]);
    if (down) return null;
    return new Map(products.filter((p) => ids.includes(p.id)).map((p) => [p.id, p]));
  };
  return { read, asked, askedItems, setDown: (value: boolean) => (down = value), products };
}

/** Simple products by id. */
const items = (...ids: number[]): CatalogItem[] => ids.map((id) => ({ id, parentId: null }));

describe('cachedCatalog', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('asks once per call, in one batch, without duplicates', async () => {
    const s = store([product(1), product(2)]);
    const catalog = cachedCatalog(s.read, clock);
    const answer = await catalog(items(1, 2, 2, 3));
    expect(s.asked).toEqual([[1, 2, 3]]);
    expect([...(answer ?? new Map()).keys()]).toEqual([1, 2]);
  });

  it('serves a second call within 60 s from the cache, deleted products included, and asks again at 61 s', async () => {
    const s = store([product(1)]);
    const catalog = cachedCatalog(s.read, clock);
    await catalog(items(1, 3));
    now += 59_000;
    const cached = await catalog(items(1, 3));
    expect(s.asked).toEqual([[1, 3]]);
    expect(cached?.get(1)?.price).toBe(500);
    expect(cached?.has(3)).toBe(false);
    s.products[0] = product(1, 450);
    now += 2_000; // 61 s after the first read
    const fresh = await catalog(items(1, 3));
    expect(s.asked).toEqual([
      [1, 3],
      [1, 3],
    ]);
    expect(fresh?.get(1)?.price).toBe(450);
  });

  it('asks only for the ids it has no fresh answer for', async () => {
    const s = store([product(1), product(2)]);
    const catalog = cachedCatalog(s.read, clock);
    await catalog(items(1));
    now += 10_000;
    const answer = await catalog(items(1, 2));
    expect(s.asked).toEqual([[1], [2]]);
    expect(answer?.size).toBe(2);
  });

  it('never caches a null answer: the next call asks again', async () => {
    const s = store([product(1)]);
    const catalog = cachedCatalog(s.read, clock);
    s.setDown(true);
    expect(await catalog(items(1))).toBeNull();
    s.setDown(false);
    expect((await catalog(items(1)))?.get(1)?.price).toBe(500);
    expect(s.asked).toEqual([[1], [1]]);
  });

  it('passes a variation on with its parent, and caches it by its own id', async () => {
    const s = store([product(21)]);
    const catalog = cachedCatalog(s.read, clock);
    const first = await catalog([{ id: 21, parentId: 20 }, ...items(5)]);
    expect(s.askedItems).toEqual([
      [
        { id: 21, parentId: 20 },
        { id: 5, parentId: null },
      ],
    ]);
    expect(first?.get(21)?.price).toBe(500);
    now += 1_000;
    expect((await catalog([{ id: 21, parentId: 20 }]))?.get(21)?.price).toBe(500);
    expect(s.asked).toHaveLength(1);
  });
});
