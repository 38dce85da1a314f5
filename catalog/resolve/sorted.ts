/** A sorted copy by a string key, so output follows names, never the catalog's order. */
export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Objects with keys in sorted order, recursively, so output never depends on catalog key order. */
export function sortedRecord(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedRecord);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedRecord((value as Record<string, unknown>)[k])]));
  }
  return value;
}
