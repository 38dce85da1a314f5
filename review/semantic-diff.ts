import { compare, objectKey, type K8sObject } from './objects';

/** One changed field: its path (`spec.template.spec.containers[name=api].image`) and both values. */
export interface FieldChange {
  readonly path: string;
  /** undefined when the field was added. */
  readonly before: unknown;
  /** undefined when the field was removed. */
  readonly after: unknown;
}

export interface ChangedObject {
  readonly key: string;
  readonly before: K8sObject;
  readonly after: K8sObject;
  readonly changes: readonly FieldChange[];
}

/** A removed and an added object that hold the same content under another name: a replace. */
export interface RenamedObject {
  readonly from: string;
  readonly to: string;
  readonly before: K8sObject;
  readonly after: K8sObject;
}

export interface ObjectDiff {
  readonly added: readonly K8sObject[];
  readonly removed: readonly K8sObject[];
  readonly renamed: readonly RenamedObject[];
  readonly changed: readonly ChangedObject[];
}

/**
 * Compares two sets of objects by identity (`Kind namespace/name`). Changed objects list every
 * differing leaf; lists whose items all carry a `name` (containers, ports, env, volumes) are matched
 * by name, so inserting an item is one change and not a shift of every later one.
 */
export function diffObjects(base: readonly K8sObject[], head: readonly K8sObject[]): ObjectDiff {
  const before = byKey(base);
  const after = byKey(head);
  let added = [...after].filter(([key]) => !before.has(key)).map(([, o]) => o);
  let removed = [...before].filter(([key]) => !after.has(key)).map(([, o]) => o);
  const renamed: RenamedObject[] = [];
  for (const old of removed) {
    const match = added.find((candidate) => sameContentUnderAnotherName(old, candidate));
    if (!match) continue;
    renamed.push({ from: objectKey(old), to: objectKey(match), before: old, after: match });
    added = added.filter((o) => o !== match);
  }
  removed = removed.filter((o) => !renamed.some((r) => r.before === o));
  const changed = [...after]
    .filter(([key]) => before.has(key))
    .map(([key, o]) => ({ key, before: before.get(key)!, after: o, changes: diffValues(before.get(key), o) }))
    .filter((c) => c.changes.length > 0);
  return { added, removed, renamed, changed };
}

/** Every differing leaf between two JSON values, in path order. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compare);
    return keys.flatMap((key) => diffValues(before[key], after[key], join(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (isNamedList(before) && isNamedList(after) && before.length + after.length > 0) {
      const old = new Map(before.map((item) => [item.name as string, item]));
      const now = new Map(after.map((item) => [item.name as string, item]));
      const names = [...new Set([...old.keys(), ...now.keys()])];
      const changes = names.flatMap((name) => diffValues(old.get(name), now.get(name), `${path}[name=${name}]`));
      // a pure reordering matters too (init containers run in order): report it as one change
      const reordered = changes.length === 0 ? [{ path, before: before.map((i) => i.name), after: after.map((i) => i.name) }] : [];
      return [...changes, ...reordered];
    }
    if (before.every(isScalar) && after.every(isScalar)) return [{ path, before, after }];
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffValues(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return [{ path, before, after }];
}

/** Deep equality of JSON values. */
export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => isEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && isEqual(a[key], b[key]));
  }
  return false;
}

function byKey(objects: readonly K8sObject[]): Map<string, K8sObject> {
  const map = new Map<string, K8sObject>();
  for (const o of [...objects].sort((a, b) => compare(objectKey(a), objectKey(b)))) map.set(objectKey(o), o);
  return map;
}

/** Same kind and namespace, and equal once every occurrence of the old name is read as the new one. */
function sameContentUnderAnotherName(old: K8sObject, candidate: K8sObject): boolean {
  if (old.kind !== candidate.kind || old.metadata?.namespace !== candidate.metadata?.namespace) return false;
  const from = String(old.metadata?.name);
  const to = String(candidate.metadata?.name);
  return isEqual(JSON.parse(JSON.stringify(old).split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1))), candidate);
}

function isNamedList(list: unknown[]): list is { name: string }[] {
  if (!list.every((item) => isPlainObject(item) && typeof item.name === 'string')) return false;
  return new Set(list.map((item) => (item as { name: string }).name)).size === list.length;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function join(path: string, key: string): string {
  const segment = /^[A-Za-z_][\w-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === '') return segment;
  return segment.startsWith('[') ? `${path}${segment}` : `${path}.${segment}`;
}
