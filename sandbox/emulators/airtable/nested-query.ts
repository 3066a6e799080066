// Query strings the way airtable.js builds them (jQuery.param style, like `qs`):
// `sort[0][field]=Name&sort[0][direction]=desc&fields[]=Name&fields[]=Phone` becomes
// `{ sort: [{ field: 'Name', direction: 'desc' }], fields: ['Name', 'Phone'] }`.

type Nested = { [key: string]: NestedValue };
type NestedValue = string | NestedValue[] | Nested;

const MAX_DEPTH = 4;
const MAX_INDEX = 1000;

export function parseNestedQuery(params: URLSearchParams): Record<string, unknown> {
  // Null prototype: a key like `__proto__[x]` from a client cannot reach Object.prototype.
  const root: Nested = Object.create(null);
  for (const [key, value] of params) {
    const path = splitKey(key);
    if (path) assign(root, path, value);
  }
  return arraysFromIndexes(root) as Record<string, unknown>;
}

/** `a[b][]` → ['a', 'b', '']; undefined for a key that is not of that shape. */
function splitKey(key: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return undefined;
  const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
  return path.length <= MAX_DEPTH ? path : undefined;
}

function assign(target: Nested, path: readonly string[], value: string): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    const existing = target[head];
    // A repeated plain key (`records=a&records=b`) collects into a list, as `[]` does.
    target[head] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing as string, value];
    return;
  }
  if (rest[0] === '' && rest.length === 1) {
    const list = target[head];
    target[head] = Array.isArray(list) ? [...list, value] : list === undefined ? [value] : [list as string, value];
    return;
  }
  const child = target[head];
  const next: Nested = typeof child === 'object' && !Array.isArray(child) ? child : Object.create(null);
  target[head] = next;
  assign(next, rest, value);
}

/** Objects keyed 0..n become arrays, in index order. */
function arraysFromIndexes(value: NestedValue): NestedValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: Nested = Object.create(null);
  for (const key of keys) converted[key] = arraysFromIndexes(value[key]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k) && Number(k) <= MAX_INDEX)) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((i) => converted[String(i)]);
  }
  return { ...converted };
}
