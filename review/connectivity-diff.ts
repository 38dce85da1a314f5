import type { OutsideWorkload, RequiredConnection } from './connectivity/required-connections';
import { analyseConnectivity, extractWorkloads, type MeshSettings } from './connectivity';
import { compare, type K8sObject } from './objects';

/** What one side of a change lets through: every allowed (source, destination, port), as text. */
function allowedConnections(objects: readonly K8sObject[], outside: readonly OutsideWorkload[], externals: readonly RequiredConnection[], mesh: MeshSettings): Set<string> {
  const ids = new Set(extractWorkloads(objects, outside).map((w) => w.id));
  // external hosts are enumerated only when named by a required connection from a workload of this side.
  const required = externals.filter((r) => 'external' in r.to && ids.has(r.from));
  const report = analyseConnectivity({ objects, outsideWorkloads: outside, required, mesh });
  return new Set(report.allowed.map((a) => `${a.from} → ${a.to} ${a.port}/${a.protocol}`));
}

/**
 * The risk lines of a change's connectivity: `+ connection` for every (source, destination, port)
 * the head's policies let through and the base's did not, through every layer; `- connection` for
 * those closed. Sorted.
 */
export function connectivityChanges(
  base: readonly K8sObject[],
  head: readonly K8sObject[],
  context: { readonly outside: readonly OutsideWorkload[]; readonly required: readonly RequiredConnection[]; readonly mesh: MeshSettings },
): string[] {
  const before = allowedConnections(base, context.outside, context.required, context.mesh);
  const after = allowedConnections(head, context.outside, context.required, context.mesh);
  return [...[...after].filter((c) => !before.has(c)).map((c) => `+ connection ${c}`), ...[...before].filter((c) => !after.has(c)).map((c) => `- connection ${c}`)].sort(compare);
}
