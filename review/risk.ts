import { authorizationEdges, denyAllNamespaces, edgeKey } from './authorization';
import { capacityTotals, workloadCapacities, type PodSize } from './capacity';
import { publicEndpoints } from './exposure';
import { containerImages } from './images';
import { compare, containersOf, objectKey, podSpecOf, type K8sObject } from './objects';
import { resilienceRisks } from './resilience';
import { securityRelaxations } from './security-context';
import { selectorChanges } from './workload-selectors';
import { diffObjects, diffValues, type ObjectDiff } from './semantic-diff';
import { cpuText, memoryText, signed, valueText } from './units';

/**
 * The risk summary of a change, one line per finding, each starting with a marker:
 * `+` something allowed or exposed that was not, `-` something no longer allowed or exposed,
 * `!` a weakening reviewers must accept explicitly, `~` a change of image, replicas or resources,
 * `=` the resulting capacity totals. Empty when nothing risky changed.
 */
export function riskSummary(base: readonly K8sObject[], head: readonly K8sObject[], diff: ObjectDiff = diffObjects(base, head)): string[] {
  return [
    ...edgeLines(base, head),
    ...meshLines(base, head, diff),
    ...exposureLines(base, head),
    ...diff.renamed.map((r) => `! renamed (a replace: the old object is deleted): ${r.from} → ${r.to}`),
    ...diff.changed.flatMap((c) => securityRelaxations(c.before, c.after)),
    ...resilienceRisks(base, head),
    ...selectorChanges(diff),
    ...imageLines(base, head),
    ...replicaLines(diff),
    ...resourceLines(diff),
    ...totalLines(base, head),
  ];
}

function edgeLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = new Set(authorizationEdges(base).map(edgeKey));
  const after = new Set(authorizationEdges(head).map(edgeKey));
  return [
    ...[...after].filter((e) => !before.has(e)).map((e) => `+ edge ${e}`),
    ...[...before].filter((e) => !after.has(e)).map((e) => `- edge ${e}`),
  ].sort(byText);
}

function meshLines(base: readonly K8sObject[], head: readonly K8sObject[], diff: ObjectDiff): string[] {
  const isPeerAuthentication = (o: K8sObject) => o.kind === 'PeerAuthentication';
  const lines = [
    ...diff.added.filter(isPeerAuthentication).map((o) => `+ mTLS ${objectKey(o)} ${mtlsText(o)}`),
    ...diff.removed.filter(isPeerAuthentication).map((o) => `! mTLS ${objectKey(o)} removed (was ${mtlsText(o)})`),
    ...diff.changed
      .filter((c) => isPeerAuthentication(c.after))
      .flatMap((c) => c.changes.filter((f) => f.path.startsWith('spec')).map((f) => `! mTLS ${c.key} ${f.path} ${valueText(f.before)} → ${valueText(f.after)}`)),
  ];
  const denyBefore = new Set(denyAllNamespaces(base));
  const denyAfter = new Set(denyAllNamespaces(head));
  lines.push(...[...denyBefore].filter((p) => !denyAfter.has(p)).map((p) => `! default deny removed: AuthorizationPolicy ${p}`));
  lines.push(...[...denyAfter].filter((p) => !denyBefore.has(p)).map((p) => `+ default deny: AuthorizationPolicy ${p}`));
  return lines.sort(byText);
}

function mtlsText(o: K8sObject): string {
  const ports = Object.entries<K8sObject>(o.spec?.portLevelMtls ?? {}).map(([port, m]) => ` port ${port} ${m.mode}`);
  return `${o.spec?.mtls?.mode ?? 'UNSET'}${ports.join('')}`;
}

function exposureLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = new Map(publicEndpoints(base).map((e) => [e.id, e.text]));
  const after = new Map(publicEndpoints(head).map((e) => [e.id, e.text]));
  return [
    ...[...after].filter(([id, text]) => before.get(id) !== text).map(([, text]) => `+ public ${text}`),
    ...[...before].filter(([id, text]) => after.get(id) !== text).map(([, text]) => `- public ${text}`),
  ].sort(byText);
}

function imageLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = new Map(containerImages(base).map((c) => [`${c.workload} container ${c.container}`, c.image]));
  return containerImages(head)
    .map((c) => ({ id: `${c.workload} container ${c.container}`, image: c.image }))
    .filter(({ id, image }) => before.has(id) && before.get(id) !== image)
    .map(({ id, image }) => `~ image ${id}: ${before.get(id)} → ${image}`);
}

function replicaLines(diff: ObjectDiff): string[] {
  return diff.changed.flatMap((c) => {
    const paths = c.after.kind === 'HorizontalPodAutoscaler' ? ['spec.minReplicas', 'spec.maxReplicas'] : podSpecOf(c.after) ? ['spec.replicas'] : [];
    const changes = c.changes.filter((f) => paths.includes(f.path));
    if (changes.length === 0) return [];
    return [`~ replicas ${c.key}: ${changes.map((f) => `${f.path.slice('spec.'.length)} ${valueText(f.before)} → ${valueText(f.after)}`).join(', ')}`];
  });
}

function resourceLines(diff: ObjectDiff): string[] {
  return diff.changed.flatMap((c) => {
    const before = podSpecOf(c.before);
    const after = podSpecOf(c.after);
    if (!before || !after) return [];
    const old = new Map(containersOf(before).map(({ container }) => [container.name, container]));
    return containersOf(after).flatMap(({ container }) => {
      if (!old.has(container.name)) return [];
      const changes = diffValues(old.get(container.name)?.resources ?? {}, container.resources ?? {});
      if (changes.length === 0) return [];
      return [`~ resources ${c.key} container ${container.name}: ${changes.map((f) => `${f.path} ${valueText(f.before)} → ${valueText(f.after)}`).join(', ')}`];
    });
  });
}

function totalLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = capacityTotals(workloadCapacities(base));
  const after = capacityTotals(workloadCapacities(head));
  const line = (label: string, a: PodSize, b: PodSize) => {
    if (a.requests.cpu === b.requests.cpu && a.requests.memory === b.requests.memory) return [];
    return [
      `= requests ${label}: cpu ${cpuText(a.requests.cpu)} → ${cpuText(b.requests.cpu)} (${signed(b.requests.cpu - a.requests.cpu, cpuText)}), ` +
        `memory ${memoryText(a.requests.memory)} → ${memoryText(b.requests.memory)} (${signed(b.requests.memory - a.requests.memory, memoryText)})`,
    ];
  };
  return [...line('at min replicas', before.atMin, after.atMin), ...line('at max replicas', before.atMax, after.atMax), ...line('per node', before.perNode, after.perNode)];
}

function byText(a: string, b: string): number {
  return compare(a.slice(2), b.slice(2)) || compare(a, b);
}
