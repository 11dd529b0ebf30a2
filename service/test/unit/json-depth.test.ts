import { tooDeep } from '../../src/http/json-depth';

describe('tooDeep', () => {
  const nest = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = i % 2 ? { k: value } : [value];
    return value;
  };

  it('takes 32 levels and names the first level beyond', () => {
    expect(tooDeep(nest(32))).toBeNull();
    expect(tooDeep(nest(33))).toBe(`[0]${'.k[0]'.repeat(15)}.k`);
    expect(tooDeep({ a: [{ b: nest(3) }] }, 4)).toBe('a[0].b[0]');
  });

  it('walks 1,000,000 levels without recursing, and ignores scalars', () => {
    expect(tooDeep(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)))).toBe('[0]'.repeat(32));
    expect(tooDeep('x')).toBeNull();
    expect(tooDeep(null)).toBeNull();
  });

  it('shortens long keys in the path', () => {
    expect(tooDeep({ ['k'.repeat(1000)]: [[1]] }, 2)).toBe(`${'k'.repeat(64)}[0]`);
  });
});
