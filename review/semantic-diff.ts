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
 * differing leaf. List items are matched by identity, never by position, so inserting an item is
 * one change and not a shift of every later one: by `name` (containers, ports, env, volumes), by
 * peer for NetworkPolicy and AuthorizationPolicy rules (`[to=consul-server]`), else by content
 * (an item present on one side only is added or removed whole).
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
    if (before.every(isScalar) && after.every(isScalar)) return diffScalarLists(before, after, path);
    return diffByIdentity(before, after, path);
  }
  return [{ path, before, after }];
}

/**
 * Lists of objects without a `name`: matched by an identity key where every item has a distinct
 * one (`key`; the peers of a NetworkPolicy rule, `to`/`from`; an AuthorizationPolicy rule's
 * `from`), else by equal content, unmatched items reported whole as `[+]` / `[-]`.
 */
function diffByIdentity(before: unknown[], after: unknown[], path: string): FieldChange[] {
  const keysBefore = before.map(identityOf);
  const keysAfter = after.map(identityOf);
  const usable = (keys: (string | undefined)[]) => keys.every((k) => k !== undefined) && new Set(keys).size === keys.length;
  if (usable(keysBefore) && usable(keysAfter) && before.length + after.length > 0) {
    const old = new Map(before.map((item, i) => [keysBefore[i]!, item]));
    const now = new Map(after.map((item, i) => [keysAfter[i]!, item]));
    return [...new Set([...old.keys(), ...now.keys()])].flatMap((key) => diffValues(old.get(key), now.get(key), `${path}[${key}]`));
  }
  const unmatched = [...after];
  const removed: unknown[] = [];
  for (const item of before) {
    const k = unmatched.findIndex((candidate) => isEqual(candidate, item));
    if (k >= 0) unmatched.splice(k, 1);
    else removed.push(item);
  }
  // one item replaced by one: the same item changed (an AuthorizationPolicy rule's single `from`)
  if (removed.length === 1 && unmatched.length === 1) return diffValues(removed[0], unmatched[0], `${path}[*]`);
  return [...removed.map((item) => ({ path: `${path}[-]`, before: item, after: undefined })), ...unmatched.map((item) => ({ path: `${path}[+]`, before: undefined, after: item }))];
}

/**
 * Lists of scalars: a reordering is one change of the whole list (order can matter: args,
 * methods), anything else the items removed (`[-]`) and added (`[+]`), so one principal more in a
 * list of twenty reads as that principal.
 */
function diffScalarLists(before: unknown[], after: unknown[], path: string): FieldChange[] {
  const rest = [...after];
  const removed: unknown[] = [];
  for (const item of before) {
    const k = rest.indexOf(item);
    if (k >= 0) rest.splice(k, 1);
    else removed.push(item);
  }
  if (removed.length === 0 && rest.length === 0) return [{ path, before, after }];
  return [...(removed.length > 0 ? [{ path: `${path}[-]`, before: removed, after: undefined }] : []), ...(rest.length > 0 ? [{ path: `${path}[+]`, before: undefined, after: rest }] : [])];
}

/** `key=…`, `to=…` or `from=…` for list items that carry one; undefined otherwise. */
function identityOf(item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  if (typeof item.key === 'string') return `key=${item.key}`;
  for (const field of ['to', 'from']) {
    if (Array.isArray(item[field]) && item[field].length > 0) return `${field}=${item[field].map(peerText).join(',')}`;
  }
  return undefined;
}

/** A NetworkPolicy or AuthorizationPolicy peer in a few words: label values, namespaces, CIDRs, principals. */
function peerText(peer: unknown): string {
  if (!isPlainObject(peer)) return String(peer);
  const words: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') words.push(String(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (isPlainObject(value)) Object.keys(value).sort(compare).forEach((k) => walk(value[k]));
  };
  walk(peer);
  return words.join(' ');
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
