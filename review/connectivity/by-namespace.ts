import { compare } from '../objects';
import type { KubeObject } from './types';

/**
 * The objects of one kind grouped by namespace (`default` when none is set), in the order given,
 * or sorted by name with `sortByName`: what each per-namespace index of the analyser starts from.
 */
export function byNamespace(objects: readonly KubeObject[], kind: string, sortByName = false): Map<string, KubeObject[]> {
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    if (o.kind !== kind) continue;
    const ns = o.metadata?.namespace ?? 'default';
    const group = groups.get(ns);
    if (group) group.push(o);
    else groups.set(ns, [o]);
  }
  if (sortByName) for (const group of groups.values()) group.sort((a, b) => compare(a.metadata.name, b.metadata.name));
  return groups;
}
