import { formatPath } from '@cartback/shared';

/**
 * How deep a request body may nest (the deepest real body, a WhatsApp status's error data, is
 * under 10 levels). Anything deeper is refused before anything recursive (joi, JSON.stringify,
 * the database driver) sees it: those recurse once per level and overflow the stack on a body of
 * 10,000 nested arrays, which fits in 20 KB.
 */
export const MAX_JSON_DEPTH = 32;

interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

/** A path part, shortened: an unknown key may be long, and the path goes into the answer. */
const part = (key: string | number): string | number => (typeof key === 'string' ? key.slice(0, 64) : key);

function pathOf(frame: Frame): string {
  const parts: Array<string | number> = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) parts.push(part(f.key));
  return formatPath(parts.reverse());
}

/**
 * The path of the first object or array nested deeper than `max` levels in a parsed JSON value
 * (the whole body is level 1), or null when there is none. Walks with its own stack, so it
 * never recurses itself.
 */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const stack: Frame[] = [{ value, depth: 1, parent: null, key: null }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > max) return pathOf(frame);
    const entries: Array<[string | number, unknown]> = Array.isArray(frame.value)
      ? frame.value.map((child, index) => [index, child])
      : Object.entries(frame.value);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      }
    }
  }
  return null;
}
