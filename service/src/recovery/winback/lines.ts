/** A stored cart or order line, as far as win-back needs it; parsed leniently (old plugins send no categories). */
export interface StoredLine {
  productId: number;
  name: string;
  quantity: number;
  unitPrice: number;
  imageUrl: string | null;
  url: string;
  categories: { id: number; name: string }[];
  categoryIds: number[];
}

/** The lines of a stored JSON array; malformed lines are left out. */
export function parseLines(json: string | null): StoredLine[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const lines: StoredLine[] = [];
  for (const raw of parsed as Record<string, unknown>[]) {
    if (typeof raw !== 'object' || raw === null || typeof raw.product_id !== 'number') continue;
    const categories = Array.isArray(raw.categories)
      ? (raw.categories as Record<string, unknown>[]).filter(
          (c): c is { id: number; name: string } =>
            typeof c === 'object' && c !== null && typeof c.id === 'number' && typeof c.name === 'string',
        )
      : [];
    lines.push({
      productId: raw.product_id,
      name: typeof raw.name === 'string' ? raw.name : '',
      quantity: typeof raw.quantity === 'number' ? raw.quantity : 1,
      unitPrice: typeof raw.unit_price === 'number' ? raw.unit_price : 0,
      imageUrl: typeof raw.image_url === 'string' ? raw.image_url : null,
      url: typeof raw.url === 'string' ? raw.url : '',
      categories: categories.map((c) => ({ id: c.id, name: c.name })),
      categoryIds: categories.map((c) => c.id),
    });
  }
  return lines;
}
